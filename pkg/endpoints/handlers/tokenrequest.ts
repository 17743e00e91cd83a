import type { Context } from 'koa';
import protobuf from 'protobufjs';
import { newBadRequest, newConflict, newNotFound } from '../../apiserver/errors/statuserror.js';
import { newInvalid } from '../../registry/validation/invalid.js';
import { invalid } from '../../registry/validation/field.js';
import type { FieldError } from '../../registry/resource.js';
import {
  DEFAULT_EXPIRATION_SECONDS,
  MAX_EXPIRATION_SECONDS,
  MIN_EXPIRATION_SECONDS,
  type TokenIssuer,
} from '../../serviceaccount/jwt.js';
import type { StoredObject } from '../../storage/interfaces.js';
import { writeJSON } from '../responsewriters/writers.js';
import { decodeBody, readBody } from './body.js';

const GROUP = 'authentication.k8s.io';
const GROUP_VERSION = `${GROUP}/v1`;
const KIND = 'TokenRequest';
const TOKEN_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/serviceaccounts\/([^/]+)\/token\/?$/;

/** The object a token is bound to, as BoundObjectReference. */
export interface BoundObjectReference {
  kind: string;
  apiVersion: string;
  name: string;
  uid: string;
}

/** The fields of TokenRequestSpec that a client sets. */
export interface TokenRequestSpec {
  audiences: string[];
  /** Undefined when the request leaves it out; defaulted to one hour. */
  expirationSeconds: number | undefined;
  boundObjectRef: BoundObjectReference | undefined;
}

/** Options of the TokenRequest handler. */
export interface TokenRequestHandlerOptions {
  /** Signs the tokens; built from --service-account-signing-key-file. */
  issuer: TokenIssuer;
  /** --api-audiences, or the issuers when that flag is empty; used when a request names none. */
  apiAudiences: readonly string[];
  /**
   * Returns the service account, or undefined when it does not exist. A thrown StatusError
   * (such as GenericStore.get's 404) reaches the client unchanged.
   */
  getServiceAccount(namespace: string, name: string): Promise<StoredObject | undefined>;
  /**
   * Returns the pod or secret a token is to be bound to; like getServiceAccount it returns
   * undefined or throws a 404 when it is missing. Without it, requests that bind a token to an
   * object are rejected with 400.
   */
  getBoundObject?(
    kind: 'Pod' | 'Secret',
    namespace: string,
    name: string,
  ): Promise<StoredObject | undefined>;
  /** --service-account-max-token-expiration in seconds; 0 or undefined means no limit. */
  maxExpirationSeconds?: number;
  now?: () => Date;
}

/** RFC 3339 with second precision, as metav1.Time encodes. */
function timestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function readBoundObjectRef(bytes: Uint8Array): BoundObjectReference {
  const ref: BoundObjectReference = { kind: '', apiVersion: '', name: '', uid: '' };
  const reader = protobuf.Reader.create(bytes);
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    const field = tag >>> 3;
    if (field === 1) ref.kind = reader.string();
    else if (field === 2) ref.apiVersion = reader.string();
    else if (field === 3) ref.name = reader.string();
    else if (field === 4) ref.uid = reader.string();
    else reader.skipType(tag & 7);
  }
  return ref;
}

function readSpec(bytes: Uint8Array): TokenRequestSpec {
  const spec: TokenRequestSpec = {
    audiences: [],
    expirationSeconds: undefined,
    boundObjectRef: undefined,
  };
  const reader = protobuf.Reader.create(bytes);
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    const field = tag >>> 3;
    if (field === 1) spec.audiences.push(reader.string());
    else if (field === 4) spec.expirationSeconds = Number(reader.int64());
    else if (field === 3) spec.boundObjectRef = readBoundObjectRef(reader.bytes());
    else reader.skipType(tag & 7);
  }
  return spec;
}

/**
 * Decodes the spec of a protobuf TokenRequest (`raw` of the envelope): field 2 is the spec,
 * which contains 1 audiences, 3 boundObjectRef and 4 expirationSeconds.
 * @throws StatusError 400 when the bytes are not a valid message
 */
export function decodeTokenRequestProtobuf(raw: Uint8Array): TokenRequestSpec {
  try {
    const reader = protobuf.Reader.create(raw);
    let spec: TokenRequestSpec = {
      audiences: [],
      expirationSeconds: undefined,
      boundObjectRef: undefined,
    };
    while (reader.pos < reader.len) {
      const tag = reader.uint32();
      if (tag >>> 3 === 2) spec = readSpec(reader.bytes());
      else reader.skipType(tag & 7);
    }
    return spec;
  } catch (err) {
    throw newBadRequest(`unable to decode protobuf TokenRequest: ${(err as Error).message}`);
  }
}

function stringField(object: Record<string, unknown>, key: string, path: string): string {
  const value = object[key];
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw newBadRequest(`${path}.${key}: expected a string`);
  return value;
}

function asRecord(value: unknown, path: string): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw newBadRequest(`${path}: expected an object`);
  }
  return value as Record<string, unknown>;
}

/**
 * Reads the spec of a JSON or YAML TokenRequest.
 * @throws StatusError 400 for fields of the wrong type
 */
export function tokenRequestSpecFromObject(object: Record<string, unknown>): TokenRequestSpec {
  const spec = asRecord(object.spec, 'spec') ?? {};
  const audiences = spec.audiences ?? [];
  if (!Array.isArray(audiences) || audiences.some((aud) => typeof aud !== 'string')) {
    throw newBadRequest('spec.audiences: expected an array of strings');
  }
  const expiration = spec.expirationSeconds;
  if (expiration !== undefined && expiration !== null && !Number.isInteger(expiration)) {
    throw newBadRequest('spec.expirationSeconds: expected an integer');
  }
  const ref = asRecord(spec.boundObjectRef, 'spec.boundObjectRef');
  const path = 'spec.boundObjectRef';
  return {
    audiences: audiences as string[],
    expirationSeconds: typeof expiration === 'number' ? expiration : undefined,
    boundObjectRef:
      ref === undefined
        ? undefined
        : {
            kind: stringField(ref, 'kind', path),
            apiVersion: stringField(ref, 'apiVersion', path),
            name: stringField(ref, 'name', path),
            uid: stringField(ref, 'uid', path),
          },
  };
}

/**
 * Checks the requested lifetime as ValidateTokenRequest does (1.32): at least 10 minutes and at
 * most 2^32 seconds.
 * @throws StatusError 422 Invalid naming spec.expirationSeconds
 */
export function validateExpiration(name: string, expirationSeconds: number): void {
  const errors: FieldError[] = [];
  const field = 'spec.expirationSeconds';
  if (expirationSeconds < MIN_EXPIRATION_SECONDS) {
    errors.push(
      invalid(field, expirationSeconds, 'may not specify a duration less than 10 minutes'),
    );
  }
  if (expirationSeconds > MAX_EXPIRATION_SECONDS) {
    errors.push(
      invalid(field, expirationSeconds, 'may not specify a duration larger than 2^32 seconds'),
    );
  }
  if (errors.length > 0) throw newInvalid({ group: GROUP, kind: KIND }, name, errors);
}

function decodeSpec(decoded: ReturnType<typeof decodeBody>): TokenRequestSpec {
  if (decoded.kind !== '' && decoded.kind !== KIND) {
    throw newBadRequest(`not a TokenRequest: ${decoded.apiVersion}, Kind=${decoded.kind}`);
  }
  if (decoded.apiVersion !== '' && decoded.apiVersion !== GROUP_VERSION) {
    throw newBadRequest(
      `the API version in the data (${decoded.apiVersion}) does not match the expected API version (${GROUP_VERSION})`,
    );
  }
  if (decoded.raw !== undefined) return decodeTokenRequestProtobuf(decoded.raw);
  return tokenRequestSpecFromObject(decoded.object ?? {});
}

function metadataOf(object: StoredObject): { name: string; uid: string } {
  const { name, uid } = object.metadata;
  return { name: typeof name === 'string' ? name : '', uid: typeof uid === 'string' ? uid : '' };
}

/** The pod or secret a token is bound to, after it was found. */
interface BoundObject {
  kind: 'Pod' | 'Secret';
  ref: { name: string; uid: string };
}

/** Prints a GroupVersionKind as Go's schema.GroupVersionKind.String does: `/v1, Kind=Node`. */
function gvkString(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
  return `${group ?? ''}/${version ?? ''}, Kind=${kind}`;
}

/**
 * Finds the object a token is to be bound to, as TokenREST.Create does (1.32): a core Pod that
 * runs as the service account, or a core Secret, whose UID matches the reference when it has one.
 * @throws StatusError 400 for another kind or a pod of another service account, 404 for a
 *   missing object, 409 for a UID that no longer matches
 */
async function resolveBoundObject(
  options: TokenRequestHandlerOptions,
  namespace: string,
  serviceAccountName: string,
  ref: BoundObjectReference,
): Promise<BoundObject> {
  const group = ref.apiVersion.includes('/') ? (ref.apiVersion.split('/')[0] ?? '') : '';
  if (group !== '' || (ref.kind !== 'Pod' && ref.kind !== 'Secret')) {
    throw newBadRequest(
      `cannot bind token to object of type ${gvkString(ref.apiVersion, ref.kind)}`,
    );
  }
  const kind = ref.kind;
  if (options.getBoundObject === undefined) {
    throw newBadRequest('binding tokens to objects is not supported by this server');
  }
  const object = await options.getBoundObject(kind, namespace, ref.name);
  if (object === undefined) {
    throw newNotFound({ group: '', resource: kind === 'Pod' ? 'pods' : 'secrets' }, ref.name);
  }
  if (kind === 'Pod') {
    const spec = object.spec as Record<string, unknown> | undefined;
    const podServiceAccount =
      typeof spec?.serviceAccountName === 'string' ? spec.serviceAccountName : '';
    if (podServiceAccount !== serviceAccountName) {
      throw newBadRequest(
        `cannot bind token for serviceaccount ${JSON.stringify(serviceAccountName)} to pod running with serviceaccount ${JSON.stringify(podServiceAccount)}`,
      );
    }
  }
  const { uid } = metadataOf(object);
  if (ref.uid !== '' && ref.uid !== uid) {
    throw newConflict(
      { group: '', resource: kind },
      ref.name,
      `the UID in the bound object reference (${ref.uid}) does not match the UID in record (${uid}). The object might have been deleted and then recreated`,
    );
  }
  return { kind, ref: { name: ref.name, uid } };
}

/**
 * Serves a TokenRequest for one service account: decodes the request (JSON, YAML or protobuf),
 * checks the account and the bound object, signs a token and responds 201 with the TokenRequest
 * and its status.
 * @throws StatusError 400 for a body that does not decode, 404 for a missing service account,
 *   422 for a lifetime out of range
 */
export async function serveTokenRequest(
  ctx: Context,
  namespace: string,
  name: string,
  options: TokenRequestHandlerOptions,
): Promise<void> {
  const spec = decodeSpec(decodeBody(ctx.get('Content-Type'), await readBody(ctx)));
  let expirationSeconds = spec.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS;
  validateExpiration(name, expirationSeconds);

  const serviceAccount = await options.getServiceAccount(namespace, name);
  if (serviceAccount === undefined) {
    throw newNotFound({ group: '', resource: 'serviceaccounts' }, name);
  }
  const bound =
    spec.boundObjectRef === undefined
      ? undefined
      : await resolveBoundObject(options, namespace, name, spec.boundObjectRef);

  const maxSeconds = options.maxExpirationSeconds ?? 0;
  if (maxSeconds > 0 && expirationSeconds > maxSeconds) {
    ctx.append(
      'Warning',
      `299 - ${JSON.stringify(`requested expiration of ${expirationSeconds} seconds shortened to ${maxSeconds} seconds`)}`,
    );
    expirationSeconds = maxSeconds;
  }
  const audiences = spec.audiences.length > 0 ? spec.audiences : [...options.apiAudiences];
  const issued = await options.issuer.issue({
    namespace,
    serviceAccount: metadataOf(serviceAccount),
    audiences,
    expirationSeconds,
    pod: bound?.kind === 'Pod' ? bound.ref : undefined,
    secret: bound?.kind === 'Secret' ? bound.ref : undefined,
  });

  const now = options.now ?? (() => new Date());
  writeJSON(ctx, 201, {
    kind: KIND,
    apiVersion: GROUP_VERSION,
    metadata: { name, namespace, creationTimestamp: timestamp(now()) },
    spec: { audiences, expirationSeconds, boundObjectRef: spec.boundObjectRef ?? null },
    status: { token: issued.token, expirationTimestamp: timestamp(issued.expirationTimestamp) },
  });
}

/**
 * Builds the Koa handler of POST /api/v1/namespaces/{namespace}/serviceaccounts/{name}/token,
 * the TokenRequest subresource that `kubectl create token` calls. The namespace and name are
 * read from the path. StatusErrors are thrown for the caller's error filter to write.
 */
export function createTokenRequestHandler(
  options: TokenRequestHandlerOptions,
): (ctx: Context) => Promise<void> {
  return async function tokenRequestHandler(ctx: Context): Promise<void> {
    const match = TOKEN_PATH.exec(ctx.path);
    if (match === null) {
      throw newBadRequest(`${ctx.path} is not a service account token path`);
    }
    const namespace = decodeURIComponent(match[1] ?? '');
    const name = decodeURIComponent(match[2] ?? '');
    await serveTokenRequest(ctx, namespace, name, options);
  };
}
