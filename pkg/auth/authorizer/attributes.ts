import type { UserInfo } from '../user/user.js';
import type { RequestInfo } from '../../genericapiserver/request/requestinfo.js';
import type { Attributes } from './interfaces.js';

/** Builds authorizer attributes from a request's info and user. */
export function attributesFrom(user: UserInfo, info: RequestInfo): Attributes {
  return {
    user,
    verb: info.verb,
    isResourceRequest: info.isResourceRequest,
    path: info.path,
    namespace: info.namespace,
    apiGroup: info.apiGroup,
    apiVersion: info.apiVersion,
    resource: info.resource,
    subresource: info.subresource,
    name: info.name,
  };
}
