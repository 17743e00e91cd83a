import type { Attributes } from '../../auth/authorizer/interfaces.js';
import { newForbidden, type StatusError } from '../../apiserver/errors/statuserror.js';

/** Escapes &, < and > as kube-apiserver does before it puts a denial into a message. */
function escapeHTML(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Describes what the user was not allowed to do, in kube-apiserver's words, for example
 * `User "jane" cannot list resource "pods" in API group "" in the namespace "default"`.
 */
export function forbiddenMessage(attributes: Attributes): string {
  const user = JSON.stringify(attributes.user.name);
  if (!attributes.isResourceRequest) {
    return `User ${user} cannot ${attributes.verb} path ${JSON.stringify(attributes.path)}`;
  }
  let resource = attributes.resource;
  if (attributes.subresource !== '') resource = `${resource}/${attributes.subresource}`;
  const target = `resource ${JSON.stringify(resource)} in API group ${JSON.stringify(attributes.apiGroup)}`;
  const scope =
    attributes.namespace === ''
      ? 'at the cluster scope'
      : `in the namespace ${JSON.stringify(attributes.namespace)}`;
  return `User ${user} cannot ${attributes.verb} ${target} ${scope}`;
}

/**
 * Builds the 403 `Status` for a denied request: the denial, then the authorizer's reason after
 * a colon when it gave one.
 */
export function forbiddenError(attributes: Attributes, reason: string): StatusError {
  // Only the part built from the request is escaped; kube-apiserver appends the reason as is.
  const message = escapeHTML(forbiddenMessage(attributes));
  const full = reason === '' ? message : `${message}: ${reason}`;
  return newForbidden(
    { group: attributes.apiGroup, resource: attributes.resource },
    attributes.name,
    full,
  );
}
