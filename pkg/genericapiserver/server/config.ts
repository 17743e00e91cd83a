import type { SecureVersion } from 'node:tls';
import type { TokenAuthenticator } from '../../auth/authenticator/interfaces.js';
import type { RuleResolver } from '../../auth/authorizer/interfaces.js';
import type { WriteAdmission } from '../../endpoints/handlers/rest/scope.js';
import type { ResourceRegistry } from '../../registry/registry.js';
import type { TokenIssuer } from '../../serviceaccount/jwt.js';
import type { OpenIDMetadata } from '../../serviceaccount/openidmetadata.js';

/** Settings for serving service account tokens and their issuer's discovery documents. */
export interface ServiceAccountServing {
  /** Signs TokenRequest tokens; undefined without a signing key. */
  tokenIssuer: TokenIssuer | undefined;
  /** The issuer's discovery documents; undefined when the issuer is not an https URL. */
  openIDMetadata: OpenIDMetadata | undefined;
  /** --service-account-max-token-expiration in seconds; 0 means no limit. */
  maxExpirationSeconds: number;
}
import type { HandlerChainConfig } from '../handler_chain.js';

/** A certificate served for the TLS server names it lists (--tls-sni-cert-key). */
export interface SNICertificate {
  /** Server names, possibly with a leading `*.` wildcard label. */
  names: string[];
  certPem: string;
  keyPem: string;
}

/** Listen address and TLS settings of the secure port. */
export interface SecureServingInfo {
  bindAddress: string;
  /** 0 picks a free port. */
  port: number;
  /** The default serving certificate chain and key. */
  certPem: string;
  keyPem: string;
  sniCertificates: SNICertificate[];
  minVersion: SecureVersion;
  /** Client CA bundle; its names go into the TLS CertificateRequest so clients pick a matching certificate. */
  clientCAPem: string | undefined;
}

/** Listen address of the insecure port (--insecure-port, --insecure-bind-address). */
export interface InsecureServingInfo {
  bindAddress: string;
  port: number;
}

/** Everything a GenericAPIServer is built from. */
export interface Config extends HandlerChainConfig {
  secureServing: SecureServingInfo;
  insecureServing: InsecureServingInfo | undefined;
  /** Wait between a serve error and listening again, in milliseconds (15 s by default). */
  listenRetryIntervalMs: number;
  /** How long stop() waits for in-flight requests before closing connections, in milliseconds. */
  shutdownGracePeriodMs: number;
  /** The stores of the served resources. */
  resources: ResourceRegistry;
  /** Service account token serving, when service account tokens are on. */
  serviceAccount: ServiceAccountServing | undefined;
  /** Every bearer-token authenticator in one, which the TokenReview API runs tokens through. */
  tokenAuthenticator: TokenAuthenticator;
  /** True when basic authentication is on (--basic-auth-file or Keystone), for /openapi/v2. */
  basicAuthEnabled: boolean;
  /** --min-request-timeout in seconds: watches without ?timeoutSeconds= last 1 to 2 times this. */
  minRequestTimeoutSeconds: number;
  /** Lists a user's rules for SelfSubjectRulesReview; reviews report incomplete when unset. */
  ruleResolver?: RuleResolver;
  /** Checks writes before they are stored, such as RBAC's escalation check. */
  admission?: WriteAdmission;
}
