import type winston from 'winston';
import type {
  RequestAuthenticator,
  TokenAuthenticator,
} from '../../../pkg/auth/authenticator/interfaces.js';
import { authenticatedGroupAdder } from '../../../pkg/auth/group/authenticated_group_adder.js';
import type { ResourceRegistry } from '../../../pkg/registry/registry.js';
import { anonymousAuthenticator } from '../../../plugin/auth/authenticator/request/anonymous/anonymous.js';
import { bearerTokenAuthenticator } from '../../../plugin/auth/authenticator/request/bearertoken/bearertoken.js';
import {
  unionAuthenticator,
  unionFailOnError,
} from '../../../plugin/auth/authenticator/request/union/union.js';
import {
  loadClientCA,
  x509Authenticator,
} from '../../../plugin/auth/authenticator/request/x509/x509.js';
import { serviceAccountTokenAuthenticator } from '../../../plugin/auth/authenticator/token/serviceaccount/serviceaccount.js';
import { loadTokenFile } from '../../../plugin/auth/authenticator/token/tokenfile/tokenfile.js';
import { unionTokenAuthenticator } from '../../../plugin/auth/authenticator/token/union/union.js';
import type { ServiceAccountConfig } from './options/authentication_serviceaccount.js';
import type { APIServerOptions } from './options/options.js';

/** The authenticator and what the chain and API handler need to go with it. */
export interface BuiltAuthentication {
  authenticator: RequestAuthenticator;
  /** Service account settings, when service account tokens are on. */
  serviceAccount: ServiceAccountConfig | undefined;
  /** The audiences the API accepts. */
  apiAudiences: string[];
}

/** Files resolved from flags and the embedded default. */
export interface AuthenticationFiles {
  clientCAFile: string;
  tokenAuthFile: string;
}

/** Looks service accounts up in the registry for the service account authenticator. */
function serviceAccountLookup(resources: ResourceRegistry) {
  const store = resources.lookup('', 'v1', 'serviceaccounts');
  return async (namespace: string, name: string): Promise<{ uid: string } | undefined> => {
    if (store === undefined) return undefined;
    try {
      const object = await store.get(namespace, name);
      const uid = object.metadata.uid;
      return { uid: typeof uid === 'string' ? uid : '' };
    } catch {
      return undefined;
    }
  };
}

/**
 * Builds the authenticator the way kube-apiserver assembles it: the request authenticators
 * (x509 client certificates, then bearer tokens of every configured kind) in a union, the
 * authenticated group added to whoever it returns, and anonymous only when no credential was
 * presented at all.
 * @throws Error beginning with the flag and file when a configured file is missing or malformed
 */
export async function buildAuthentication(
  options: APIServerOptions,
  files: AuthenticationFiles,
  resources: ResourceRegistry,
  logger: winston.Logger,
): Promise<BuiltAuthentication> {
  const serviceAccount = await options.serviceAccount.complete(options.authentication.apiAudiences);
  const apiAudiences = serviceAccount?.apiAudiences ?? [...options.authentication.apiAudiences];
  if (serviceAccount?.openIDMetadataError !== undefined) {
    logger.warn('service account issuer discovery is off', {
      reason: serviceAccount.openIDMetadataError,
    });
  }

  const tokens: TokenAuthenticator[] = [
    await loadTokenFile(files.tokenAuthFile, { logger: logger.child({ component: 'tokenfile' }) }),
  ];
  if (serviceAccount !== undefined) {
    tokens.push(
      serviceAccountTokenAuthenticator({
        issuers: serviceAccount.issuers,
        keys: serviceAccount.keys,
        apiAudiences,
        lookup: serviceAccountLookup(resources),
        lookupLegacy: serviceAccount.lookup,
      }),
    );
  }

  const requestAuthenticators: RequestAuthenticator[] = [
    x509Authenticator({ clientCA: await loadClientCA(files.clientCAFile) }),
    bearerTokenAuthenticator(unionTokenAuthenticator(...tokens)),
  ];
  const union = authenticatedGroupAdder(unionAuthenticator(...requestAuthenticators));
  const authenticator = options.authentication.anonymousAuth
    ? unionFailOnError(union, anonymousAuthenticator())
    : union;
  return { authenticator, serviceAccount, apiAudiences };
}
