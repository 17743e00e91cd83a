import { readFile } from 'node:fs/promises';
import { ALL_AUTHENTICATED_GROUP } from '../../../../pkg/auth/user/user.js';

/** The flag whose file the policies come from; error messages start with it. */
export const POLICY_FILE_FLAG = '--authorization-policy-file';

/** The API group of ABAC policy objects. */
export const ABAC_GROUP = 'abac.authorization.kubernetes.io';
export const ABAC_V1BETA1 = `${ABAC_GROUP}/v1beta1`;
export const ABAC_V0 = `${ABAC_GROUP}/v0`;

/**
 * One ABAC rule after conversion to the internal form, with the fields of pkg/apis/abac.PolicySpec.
 * Empty strings match nothing, and "*" matches everything.
 */
export interface Policy {
  /** User name, or "*" for every user. */
  readonly user: string;
  /** Group name, or "*" for every group. */
  readonly group: string;
  /** When true, the policy matches only get, list and watch. */
  readonly readonly: boolean;
  readonly apiGroup: string;
  readonly resource: string;
  /** Namespace, or "*" for every namespace and for cluster-scoped requests. */
  readonly namespace: string;
  /** Exact path, "*" for every path, or a prefix followed by "*", such as "/apis/*". */
  readonly nonResourcePath: string;
}

/** A policy file line that is not a valid policy, or a policy file that cannot be read. */
export class PolicyFileError extends Error {
  constructor(
    readonly path: string,
    /** The 1-based line number, or undefined when the whole file failed. */
    readonly line: number | undefined,
    detail: string,
    options?: ErrorOptions,
  ) {
    const where = line === undefined ? path : `${path}: line ${line}`;
    super(`${POLICY_FILE_FLAG}: ${where}: ${detail}`, options);
    this.name = 'PolicyFileError';
  }
}

/** A policy file after parsing. */
export interface PolicyFile {
  readonly policies: readonly Policy[];
  /** Number of lines in the unversioned (v0) form, which kube-apiserver warns about. */
  readonly unversionedLines: number;
}

type JSONObject = Record<string, unknown>;

function isObject(value: unknown): value is JSONObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a string field the way Go's encoding/json does: missing or null is "". */
function stringField(object: JSONObject, key: string, where: string): string {
  const value = object[key];
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new Error(`${where}${key} must be a string`);
  return value;
}

function boolField(object: JSONObject, key: string, where: string): boolean {
  const value = object[key];
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw new Error(`${where}${key} must be true or false`);
  return value;
}

/**
 * Converts a v0 (unversioned) policy, whose fields sit at the top level, to the internal form
 * with the defaults of pkg/apis/abac/v0's conversion. No user and no group, or "*" in either,
 * means every authenticated user. No namespace means every namespace, and no resource every
 * resource. Every API group matches. With neither namespace nor resource, every non-resource
 * path matches too.
 */
function convertV0(object: JSONObject): Policy {
  let user = stringField(object, 'user', '');
  let group = stringField(object, 'group', '');
  const namespace = stringField(object, 'namespace', '');
  const resource = stringField(object, 'resource', '');
  if (user === '' && group === '') group = ALL_AUTHENTICATED_GROUP;
  if (user === '*' || group === '*') {
    group = ALL_AUTHENTICATED_GROUP;
    user = '';
  }
  return {
    user,
    group,
    readonly: boolField(object, 'readonly', ''),
    apiGroup: '*',
    resource: resource === '' ? '*' : resource,
    namespace: namespace === '' ? '*' : namespace,
    nonResourcePath: namespace === '' && resource === '' ? '*' : '',
  };
}

/**
 * Converts a v1beta1 policy, whose fields sit under `spec`. As in pkg/apis/abac/v1beta1's
 * conversion, "*" as user or group becomes the group system:authenticated, so it never matches
 * anonymous requests. A policy for the group system:unauthenticated allows those.
 */
function convertV1beta1(object: JSONObject): Policy {
  const spec = object.spec ?? {};
  if (!isObject(spec)) throw new Error('spec must be an object');
  let user = stringField(spec, 'user', 'spec.');
  let group = stringField(spec, 'group', 'spec.');
  if (user === '*' || group === '*') {
    group = ALL_AUTHENTICATED_GROUP;
    user = '';
  }
  return {
    user,
    group,
    readonly: boolField(spec, 'readonly', 'spec.'),
    apiGroup: stringField(spec, 'apiGroup', 'spec.'),
    resource: stringField(spec, 'resource', 'spec.'),
    namespace: stringField(spec, 'namespace', 'spec.'),
    nonResourcePath: stringField(spec, 'nonResourcePath', 'spec.'),
  };
}

/**
 * Parses one policy line. A line with apiVersion and kind must be an
 * abac.authorization.kubernetes.io Policy of version v1beta1 or v0. A line that lacks either
 * field is read as v0, as kube-apiserver's decoder does, unless its apiVersion is v1beta1.
 * Unknown fields are ignored, as Go's decoder ignores them.
 * @throws Error describing the problem, without the line number.
 */
export function parsePolicyLine(text: string): { policy: Policy; unversioned: boolean } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`invalid JSON: ${(err as Error).message}`, { cause: err });
  }
  if (!isObject(parsed)) throw new Error('a policy must be a JSON object');
  const apiVersion = stringField(parsed, 'apiVersion', '');
  const kind = stringField(parsed, 'kind', '');
  if (apiVersion !== '' && apiVersion !== ABAC_V1BETA1 && apiVersion !== ABAC_V0) {
    throw new Error(
      `unsupported apiVersion "${apiVersion}": use ${ABAC_V1BETA1}, or leave apiVersion and kind out for the unversioned form`,
    );
  }
  if (kind !== '' && kind !== 'Policy') {
    throw new Error(`unsupported kind "${kind}": an ABAC policy has kind Policy`);
  }
  if (apiVersion === ABAC_V1BETA1) {
    return { policy: convertV1beta1(parsed), unversioned: kind === '' };
  }
  return { policy: convertV0(parsed), unversioned: apiVersion === '' || kind === '' };
}

/**
 * Parses the text of a policy file: one JSON policy per line. Blank lines and lines whose first
 * non-blank character is `#` are skipped, as kube-apiserver skips them.
 * @throws PolicyFileError naming the flag, `path` and the line of the first invalid policy.
 */
export function parsePolicyFile(path: string, text: string): PolicyFile {
  const policies: Policy[] = [];
  let unversionedLines = 0;
  // Go's bufio.Scanner, which kube-apiserver reads the file with, drops a \r before each \n.
  const lines = text.split('\n').map((line) => line.replace(/\r$/, ''));
  lines.forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    let parsed;
    try {
      parsed = parsePolicyLine(line);
    } catch (err) {
      throw new PolicyFileError(path, index + 1, (err as Error).message, { cause: err });
    }
    policies.push(parsed.policy);
    if (parsed.unversioned) unversionedLines++;
  });
  return { policies, unversionedLines };
}

/**
 * Reads and parses a policy file (--authorization-policy-file).
 * @throws PolicyFileError naming the flag, the path and, for an invalid policy, the line.
 */
export async function loadPolicyFile(path: string): Promise<PolicyFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new PolicyFileError(
      path,
      undefined,
      `unable to read the file: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  return parsePolicyFile(path, text);
}
