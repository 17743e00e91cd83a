import type { JWTPayload } from 'jose';
import { newUserInfo, type UserInfo } from '../../../../../pkg/auth/user/user.js';

/** Mapping from the claims of a verified ID token to a user, set by the --oidc-* claim flags. */
export interface ClaimMappings {
  /** Claim that contains the user name, such as `sub` or `email`. */
  readonly usernameClaim: string;
  /** Prepended to every user name. Already resolved from --oidc-username-prefix, and may be empty. */
  readonly usernamePrefix: string;
  /** Claim that contains the groups, or empty for none. */
  readonly groupsClaim: string;
  /** Prepended to every group. May be empty. */
  readonly groupsPrefix: string;
  /** Claims that must be present with exactly these string values. */
  readonly requiredClaims: Readonly<Record<string, string>>;
}

/** The user, or why the claims cannot make one. */
export type ClaimMappingResult =
  { readonly ok: true; readonly user: UserInfo } | { readonly ok: false; readonly reason: string };

function failure(reason: string): ClaimMappingResult {
  return { ok: false, reason };
}

function hasClaim(claims: JWTPayload, name: string): boolean {
  return Object.hasOwn(claims, name) && claims[name] !== null;
}

/**
 * Returns the prefixed user name, or a reason. When the username claim is `email`, an
 * `email_verified` claim that is present must be the boolean true, and an absent one is accepted,
 * as in kube-apiserver's oidc.go (staging/src/k8s.io/apiserver/plugin/pkg/authenticator/token/oidc).
 *
 * Differs from kube-apiserver: an empty user name is rejected. Upstream accepts it, which would
 * make the user name equal to the bare prefix.
 */
export function usernameFrom(claims: JWTPayload, mappings: ClaimMappings): string | Error {
  const claim = mappings.usernameClaim;
  const value = claims[claim];
  if (typeof value !== 'string') {
    return new Error(`oidc: parse username claim ${JSON.stringify(claim)}: expected a string`);
  }
  if (value === '') {
    return new Error(`oidc: username claim ${JSON.stringify(claim)} is empty`);
  }
  if (claim === 'email' && Object.hasOwn(claims, 'email_verified')) {
    const verified = claims.email_verified;
    if (typeof verified !== 'boolean') {
      return new Error("oidc: parse 'email_verified' claim: expected a boolean");
    }
    if (!verified) return new Error('oidc: email not verified');
  }
  return mappings.usernamePrefix + value;
}

/**
 * Returns the prefixed groups, or a reason. The claim may be an array of strings or a single
 * string, which counts as one group, so that a claim such as `role` can serve as the group. A
 * missing claim means no groups.
 */
export function groupsFrom(claims: JWTPayload, mappings: ClaimMappings): string[] | Error {
  const claim = mappings.groupsClaim;
  if (claim === '' || !hasClaim(claims, claim)) return [];
  const value = claims[claim];
  let groups: string[];
  if (typeof value === 'string') {
    groups = [value];
  } else if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    groups = value;
  } else {
    return new Error(
      `oidc: parse groups claim ${JSON.stringify(claim)}: expected a string or an array of strings`,
    );
  }
  return groups.map((group) => mappings.groupsPrefix + group);
}

/** Returns why the claims miss a required claim, or undefined when all are present and equal. */
export function findRequiredClaimProblem(
  claims: JWTPayload,
  requiredClaims: Readonly<Record<string, string>>,
): string | undefined {
  for (const [name, expected] of Object.entries(requiredClaims)) {
    if (!hasClaim(claims, name)) return `oidc: required claim ${name} not present in ID token`;
    const actual = claims[name];
    // Only string values can match, as in kube-apiserver.
    if (typeof actual !== 'string') return `oidc: parse claim ${name}: expected a string`;
    if (actual !== expected) {
      return `oidc: required claim ${name} value does not match: got ${JSON.stringify(actual)}, want ${JSON.stringify(expected)}`;
    }
  }
  return undefined;
}

/**
 * Builds the user from the claims of a verified ID token, in kube-apiserver's order: user name,
 * groups, then required claims. The uid stays empty because the --oidc-* flags have no uid claim.
 */
export function userFromClaims(claims: JWTPayload, mappings: ClaimMappings): ClaimMappingResult {
  const name = usernameFrom(claims, mappings);
  if (name instanceof Error) return failure(name.message);
  const groups = groupsFrom(claims, mappings);
  if (groups instanceof Error) return failure(groups.message);
  const problem = findRequiredClaimProblem(claims, mappings.requiredClaims);
  if (problem !== undefined) return failure(problem);
  return { ok: true, user: newUserInfo({ name, groups }) };
}
