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
import { cachedTokenAuthenticator } from '../../../plugin/auth/authenticator/token/cache/cached_token_authenticator.js';
import { oidcTokenAuthenticator } from '../../../plugin/auth/authenticator/token/oidc/oidc.js';
import {
  serviceAccountTokenAuthenticator,
  type BoundObjectLookup,
  type ObjectRecord,
} from '../../../plugin/auth/authenticator/token/serviceaccount/serviceaccount.js';
import { loadTokenFile } from '../../../plugin/auth/authenticator/token/tokenfile/tokenfile.js';
import { unionTokenAuthenticator } from '../../../plugin/auth/authenticator/token/union/union.js';
import {
  buildAnyTokenAuthenticator,
  buildBasicAuthenticator,
} from './options/authentication_basic.js';
import { buildKeystoneAuthenticator } from './options/authentication_keystone.js';
import { buildRequestHeaderAuthenticator } from './options/authentication_requestheader.js';
import type { ServiceAccountConfig } from './options/authentication_serviceaccount.js';
import type { APIServerOptions } from './options/options.js';

/**
 * How long kube-apiserver caches a successful bearer-token lookup (its token success cache
 * TTL), so a service account or OIDC JWT is not verified on every request. Failures are not
 * cached, so a newly valid token works at once.
 */
const TOKEN_SUCCESS_CACHE_TTL_MS = 10_000;

/** The authenticator and what the chain and API handler need to go with it. */
export interface BuiltAuthentication {
  authenticator: RequestAuthenticator;
  /** Every bearer-token authenticator in one, for the TokenReview API. */
  tokenAuthenticator: TokenAuthenticator;
  /** Service account settings, when service account tokens are on. */
  serviceAccount: ServiceAccountConfig | undefined;
  /** The audiences the API accepts. */
  apiAudiences: string[];
  /** Front-proxy headers to remove after authentication. */
  credentialHeaders: ((lowerCaseName: string) => boolean) | undefined;
  /** WWW-Authenticate value of a 401 when basic authentication is on. */
  challenge: string | undefined;
  /** Whether HTTP basic credentials are checked, by --basic-auth-file or Keystone. */
  basicAuthEnabled: boolean;
  /** Stops background work, such as fetching an OIDC issuer's keys. */
  close(): void;
}

/** Files resolved from flags and the embedded default. */
export interface AuthenticationFiles {
  clientCAFile: string;
  tokenAuthFile: string;
}

/**
 * Looks objects of one core (v1) resource up in the registry by namespace and name, for the
 * service account authenticator.
 */
function objectLookup(resources: ResourceRegistry, resource: string) {
  const store = resources.lookup('', 'v1', resource);
  return async (namespace: string, name: string): Promise<ObjectRecord | undefined> => {
    if (store === undefined) return undefined;
    try {
      const { uid, deletionTimestamp } = (await store.get(namespace, name)).metadata;
      const record: ObjectRecord = { uid: typeof uid === 'string' ? uid : '' };
      if (typeof deletionTimestamp === 'string') record.deletionTimestamp = deletionTimestamp;
      return record;
    } catch {
      return undefined;
    }
  };
}

/** Looks up the secret or pod a bound service account token is bound to. */
function boundObjectLookup(resources: ResourceRegistry): BoundObjectLookup {
  const secrets = objectLookup(resources, 'secrets');
  const pods = objectLookup(resources, 'pods');
  return (kind, namespace, name) =>
    kind === 'Secret' ? secrets(namespace, name) : pods(namespace, name);
}

/** Logs the warnings of option groups that accept insecure or unusual settings. */
function logWarnings(options: APIServerOptions, logger: winston.Logger): void {
  for (const warning of [...options.requestHeader.warnings(), ...options.basic.warnings()]) {
    logger.warn(warning);
  }
}

/**
 * Builds the authenticator in kube-apiserver's order: request-header (front proxy), basic
 * auth from the file, basic auth checked with Keystone, x509 client certificates, then bearer
 * tokens (token file, service accounts, OIDC, webhook, any-token) behind a short success cache.
 * The authenticated group is added to the user they return, and anonymous applies only when no
 * credential was presented at all.
 * @throws Error beginning with the flag and file when a configured file is missing or malformed
 */
export async function buildAuthentication(
  options: APIServerOptions,
  files: AuthenticationFiles,
  resources: ResourceRegistry,
  logger: winston.Logger,
): Promise<BuiltAuthentication> {
  logWarnings(options, logger);
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
        lookup: objectLookup(resources, 'serviceaccounts'),
        lookupBoundObject: boundObjectLookup(resources),
        lookupLegacy: serviceAccount.lookup,
      }),
    );
  }
  const oidcConfig = options.oidc.toAuthenticatorConfig();
  const oidc =
    oidcConfig === undefined
      ? undefined
      : oidcTokenAuthenticator(oidcConfig, logger.child({ component: 'oidc' }));
  if (oidc !== undefined) tokens.push(oidc);
  const webhook = await options.webhook.toAuthenticator(
    logger.child({ component: 'webhook' }),
    apiAudiences,
  );
  if (webhook !== undefined) tokens.push(webhook);
  const anyToken = buildAnyTokenAuthenticator(options.basic);
  if (anyToken !== undefined) tokens.push(anyToken);
  const tokenAuthenticator = cachedTokenAuthenticator(unionTokenAuthenticator(...tokens), {
    successTTLMs: TOKEN_SUCCESS_CACHE_TTL_MS,
    failureTTLMs: 0,
  });

  const requestHeader = await buildRequestHeaderAuthenticator(options.requestHeader);
  const basic = await buildBasicAuthenticator(
    options.basic,
    logger.child({ component: 'basicauth' }),
  );
  const keystone = await buildKeystoneAuthenticator(
    options.keystone,
    logger.child({ component: 'keystone' }),
  );
  const requestAuthenticators: RequestAuthenticator[] = [];
  if (requestHeader !== undefined) requestAuthenticators.push(requestHeader.authenticator);
  if (basic !== undefined) requestAuthenticators.push(basic.authenticator);
  if (keystone !== undefined) requestAuthenticators.push(keystone.authenticator);
  requestAuthenticators.push(
    x509Authenticator({ clientCA: await loadClientCA(files.clientCAFile) }),
    bearerTokenAuthenticator(tokenAuthenticator),
  );

  const union = authenticatedGroupAdder(unionAuthenticator(...requestAuthenticators));
  const authenticator = options.authentication.anonymousAuth
    ? unionFailOnError(union, anonymousAuthenticator())
    : union;
  return {
    authenticator,
    tokenAuthenticator,
    serviceAccount,
    apiAudiences,
    credentialHeaders:
      requestHeader === undefined
        ? undefined
        : (name: string) => requestHeader.headersToRemove.matches(name),
    challenge: basic?.challenge ?? keystone?.challenge,
    basicAuthEnabled: basic !== undefined || keystone !== undefined,
    close: () => oidc?.close(),
  };
}
