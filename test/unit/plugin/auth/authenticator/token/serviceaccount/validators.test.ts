import { expect } from 'chai';
import {
  LEEWAY_SECONDS,
  validateBoundToken,
  type BoundObjectKind,
  type BoundObjectLookup,
  type Claims,
  type ObjectRecord,
  type ValidationResult,
} from '../../../../../../../plugin/auth/authenticator/token/serviceaccount/validators.js';

const NOW_SECONDS = 1_735_725_600;
const SA_UID = 'sa-uid';
const SECRET_UID = 'secret-uid';
const POD_UID = 'pod-uid';

/** Claims of a bound token for default/builder, bound to the given secret or pod. */
function boundClaims(bound: { secret?: boolean; pod?: boolean }): Claims {
  const kubernetes: Record<string, unknown> = {
    namespace: 'default',
    serviceaccount: { name: 'builder', uid: SA_UID },
  };
  if (bound.secret === true) kubernetes.secret = { name: 'creds', uid: SECRET_UID };
  if (bound.pod === true) kubernetes.pod = { name: 'web', uid: POD_UID };
  return {
    iat: NOW_SECONDS - 10,
    nbf: NOW_SECONDS - 10,
    exp: NOW_SECONDS + 3600,
    jti: 'token-id',
    'kubernetes.io': kubernetes,
  };
}

/** Returns a lookup over a table keyed by `Kind/namespace/name`, which records every call. */
function boundLookupFrom(
  table: Record<string, ObjectRecord>,
  calls: string[] = [],
): BoundObjectLookup {
  return (kind: BoundObjectKind, namespace: string, name: string) => {
    const key = `${kind}/${namespace}/${name}`;
    calls.push(key);
    return Promise.resolve(table[key]);
  };
}

const serviceAccount = () => Promise.resolve({ uid: SA_UID });

function reasonOf(result: ValidationResult): string | undefined {
  return result.ok ? undefined : result.reason;
}

/** Returns the RFC 3339 time this many seconds before NOW_SECONDS. */
function secondsAgo(seconds: number): string {
  return new Date((NOW_SECONDS - seconds) * 1000).toISOString();
}

describe('validateBoundToken bound objects', () => {
  const cases: {
    name: string;
    bound: { secret?: boolean; pod?: boolean };
    table: Record<string, ObjectRecord>;
    expectReason: string | undefined;
  }[] = [
    {
      name: 'secret present',
      bound: { secret: true },
      table: { 'Secret/default/creds': { uid: SECRET_UID } },
      expectReason: undefined,
    },
    {
      name: 'secret deleted',
      bound: { secret: true },
      table: {},
      expectReason: 'service account token has been invalidated',
    },
    {
      name: 'secret recreated',
      bound: { secret: true },
      table: { 'Secret/default/creds': { uid: 'new-secret-uid' } },
      expectReason: `secret UID (new-secret-uid) does not match service account secret ref claim (${SECRET_UID})`,
    },
    {
      name: 'secret deleting past leeway',
      bound: { secret: true },
      table: {
        'Secret/default/creds': {
          uid: SECRET_UID,
          deletionTimestamp: secondsAgo(LEEWAY_SECONDS + 5),
        },
      },
      expectReason: 'service account token has been invalidated',
    },
    {
      name: 'secret deleting within leeway',
      bound: { secret: true },
      table: {
        'Secret/default/creds': {
          uid: SECRET_UID,
          deletionTimestamp: secondsAgo(LEEWAY_SECONDS - 5),
        },
      },
      expectReason: undefined,
    },
    {
      name: 'pod present',
      bound: { pod: true },
      table: { 'Pod/default/web': { uid: POD_UID } },
      expectReason: undefined,
    },
    {
      name: 'pod deleted',
      bound: { pod: true },
      table: {},
      expectReason: 'service account token has been invalidated',
    },
    {
      name: 'pod recreated',
      bound: { pod: true },
      table: { 'Pod/default/web': { uid: 'new-pod-uid' } },
      expectReason: `pod UID (new-pod-uid) does not match service account pod ref claim (${POD_UID})`,
    },
    {
      name: 'pod deleting past leeway',
      bound: { pod: true },
      table: {
        'Pod/default/web': { uid: POD_UID, deletionTimestamp: secondsAgo(LEEWAY_SECONDS + 5) },
      },
      expectReason: 'service account token has been invalidated',
    },
    {
      name: 'secret and pod, pod deleted',
      bound: { secret: true, pod: true },
      table: { 'Secret/default/creds': { uid: SECRET_UID } },
      expectReason: 'service account token has been invalidated',
    },
  ];
  for (const tc of cases) {
    it(tc.name, async () => {
      const result = await validateBoundToken(boundClaims(tc.bound), NOW_SECONDS, {
        serviceAccount,
        boundObject: boundLookupFrom(tc.table),
      });

      expect(reasonOf(result)).to.equal(tc.expectReason);
    });
  }

  it('pod claims reach user info', async () => {
    const result = await validateBoundToken(boundClaims({ pod: true }), NOW_SECONDS, {
      serviceAccount,
      boundObject: boundLookupFrom({ 'Pod/default/web': { uid: POD_UID } }),
    });

    expect(result.ok).to.equal(true);
    if (!result.ok) return;
    expect(result.info.podName).to.equal('web');
    expect(result.info.podUID).to.equal(POD_UID);
  });

  it('unbound token looks nothing up', async () => {
    const calls: string[] = [];
    const result = await validateBoundToken(boundClaims({}), NOW_SECONDS, {
      serviceAccount,
      boundObject: boundLookupFrom({}, calls),
    });

    expect(result.ok).to.equal(true);
    expect(calls).to.deep.equal([]);
  });

  it('looks up in the token namespace', async () => {
    const calls: string[] = [];
    await validateBoundToken(boundClaims({ secret: true, pod: true }), NOW_SECONDS, {
      serviceAccount,
      boundObject: boundLookupFrom({}, calls),
    });

    // The secret fails first, so the pod is never looked up.
    expect(calls).to.deep.equal(['Secret/default/creds']);
  });

  it('service account checked before secret', async () => {
    const result = await validateBoundToken(boundClaims({ secret: true }), NOW_SECONDS, {
      serviceAccount: () => Promise.resolve(undefined),
      boundObject: boundLookupFrom({}),
    });

    expect(reasonOf(result)).to.equal('serviceaccounts "builder" not found');
  });
});
