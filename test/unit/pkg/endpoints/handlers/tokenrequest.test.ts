import { expect } from 'chai';
import { generateKeyPairSync } from 'node:crypto';
import type { Context, Next } from 'koa';
import protobuf from 'protobufjs';
import { StatusError } from '../../../../../pkg/apiserver/errors/statuserror.js';
import { createTokenRequestHandler } from '../../../../../pkg/endpoints/handlers/tokenrequest.js';
import { writeStatusError } from '../../../../../pkg/endpoints/responsewriters/writers.js';
import { TokenIssuer } from '../../../../../pkg/serviceaccount/jwt.js';
import { describePublicKey } from '../../../../../pkg/serviceaccount/keys.js';
import type { StoredObject } from '../../../../../pkg/storage/interfaces.js';
import { serveOnce } from '../../../helpers/koa_context.js';
import { serviceAccountTokenAuthenticator } from '../../../../../plugin/auth/authenticator/token/serviceaccount/serviceaccount.js';

const ISSUER = 'https://kubernetes.default.svc';
const NOW = new Date('2025-01-01T10:00:00Z');
const PATH = '/api/v1/namespaces/default/serviceaccounts/builder/token';
const PROTOBUF = 'application/vnd.kubernetes.protobuf';

const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const signingKey = { ...describePublicKey(pair.publicKey), privateKey: pair.privateKey };
const issuer = new TokenIssuer(ISSUER, signingKey, { now: () => NOW });

const accounts: Record<string, StoredObject> = {
  'default/builder': { metadata: { name: 'builder', namespace: 'default', uid: 'sa-uid' } },
};
const pods: Record<string, StoredObject> = {
  'default/web': {
    metadata: { name: 'web', uid: 'pod-uid' },
    spec: { serviceAccountName: 'builder' },
  },
  'default/other': {
    metadata: { name: 'other', uid: 'other-uid' },
    spec: { serviceAccountName: 'default' },
  },
};

async function catchStatusErrors(ctx: Context, next: Next): Promise<void> {
  try {
    await next();
  } catch (err) {
    if (!(err instanceof StatusError)) throw err;
    writeStatusError(ctx, err);
  }
}

const handler = createTokenRequestHandler({
  issuer,
  apiAudiences: [ISSUER],
  getServiceAccount: (namespace, name) => Promise.resolve(accounts[`${namespace}/${name}`]),
  getBoundObject: (kind, namespace, name) =>
    Promise.resolve(kind === 'Pod' ? pods[`${namespace}/${name}`] : undefined),
  maxExpirationSeconds: 7200,
  now: () => NOW,
});

/** Builds the protobuf body kubectl 1.32 sends, field by field. */
function protobufTokenRequest(spec: {
  audiences?: string[];
  expirationSeconds?: number;
  boundObjectRef?: { kind: string; apiVersion: string; name: string; uid: string };
}): Buffer {
  const specWriter = protobuf.Writer.create();
  for (const audience of spec.audiences ?? []) specWriter.uint32((1 << 3) | 2).string(audience);
  if (spec.boundObjectRef !== undefined) {
    const ref = protobuf.Writer.create()
      .uint32((1 << 3) | 2)
      .string(spec.boundObjectRef.kind)
      .uint32((2 << 3) | 2)
      .string(spec.boundObjectRef.apiVersion)
      .uint32((3 << 3) | 2)
      .string(spec.boundObjectRef.name)
      .uint32((4 << 3) | 2)
      .string(spec.boundObjectRef.uid)
      .finish();
    specWriter.uint32((3 << 3) | 2).bytes(ref);
  }
  if (spec.expirationSeconds !== undefined) {
    specWriter.uint32(4 << 3).int64(spec.expirationSeconds);
  }
  // An empty ObjectMeta (field 1) comes first, as kubectl sends it.
  const raw = protobuf.Writer.create()
    .uint32((1 << 3) | 2)
    .bytes(new Uint8Array())
    .uint32((2 << 3) | 2)
    .bytes(specWriter.finish())
    .finish();
  const typeMeta = protobuf.Writer.create()
    .uint32((1 << 3) | 2)
    .string('authentication.k8s.io/v1')
    .uint32((2 << 3) | 2)
    .string('TokenRequest')
    .finish();
  const envelope = protobuf.Writer.create()
    .uint32((1 << 3) | 2)
    .bytes(typeMeta)
    .uint32((2 << 3) | 2)
    .bytes(raw)
    .finish();
  return Buffer.concat([Buffer.from('k8s\0', 'latin1'), envelope]);
}

const authenticator = serviceAccountTokenAuthenticator({
  issuers: [ISSUER],
  keys: [describePublicKey(pair.publicKey)],
  apiAudiences: [ISSUER, 'api'],
  now: () => NOW,
});

function post(body: string | Buffer, contentType: string, path = PATH) {
  return serveOnce([catchStatusErrors, handler], {
    method: 'POST',
    path,
    headers: { 'Content-Type': contentType },
    body,
  });
}

describe('createTokenRequestHandler', () => {
  const created = [
    {
      name: 'empty JSON request',
      body: () => JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest' }),
      contentType: 'application/json',
      expectSpec: { audiences: [ISSUER], expirationSeconds: 3600, boundObjectRef: null },
    },
    {
      name: 'JSON request with audiences',
      body: () => JSON.stringify({ spec: { audiences: ['api'], expirationSeconds: 600 } }),
      contentType: 'application/json',
      expectSpec: { audiences: ['api'], expirationSeconds: 600, boundObjectRef: null },
    },
    {
      name: 'empty protobuf request',
      body: () => protobufTokenRequest({}),
      contentType: PROTOBUF,
      expectSpec: { audiences: [ISSUER], expirationSeconds: 3600, boundObjectRef: null },
    },
    {
      name: 'protobuf request with fields',
      body: () =>
        protobufTokenRequest({
          audiences: ['api', 'vault'],
          expirationSeconds: 600,
          boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web', uid: 'pod-uid' },
        }),
      contentType: PROTOBUF,
      expectSpec: {
        audiences: ['api', 'vault'],
        expirationSeconds: 600,
        boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web', uid: 'pod-uid' },
      },
    },
  ];
  for (const tc of created) {
    it(`${tc.name} gets 201`, async () => {
      const response = await post(tc.body(), tc.contentType);
      expect(response.status).to.equal(201);
      expect(response.headers['content-type']).to.equal('application/json');
      const body = JSON.parse(response.body) as Record<string, Record<string, unknown>>;
      expect(body.kind).to.equal('TokenRequest');
      expect(body.apiVersion).to.equal('authentication.k8s.io/v1');
      expect(body.metadata).to.deep.equal({
        name: 'builder',
        namespace: 'default',
        creationTimestamp: '2025-01-01T10:00:00Z',
      });
      expect(body.spec).to.deep.equal(tc.expectSpec);
      const expiresAt = new Date(NOW.getTime() + tc.expectSpec.expirationSeconds * 1000);
      expect(body.status?.expirationTimestamp).to.equal(
        expiresAt.toISOString().replace('.000', ''),
      );

      const result = await authenticator.authenticateToken(
        String(body.status?.token),
        new AbortController().signal,
      );
      if (result.kind !== 'authenticated') return expect.fail(JSON.stringify(result));
      expect(result.user.name).to.equal('system:serviceaccount:default:builder');
      expect(result.user.uid).to.equal('sa-uid');
    });
  }

  const failures = [
    {
      name: 'missing service account',
      path: '/api/v1/namespaces/default/serviceaccounts/missing/token',
      body: () => protobufTokenRequest({}),
      contentType: PROTOBUF,
      expectCode: 404,
      expectMessage: 'serviceaccounts "missing" not found',
    },
    {
      name: 'too short lifetime',
      body: () => JSON.stringify({ spec: { expirationSeconds: 599 } }),
      contentType: 'application/json',
      expectCode: 422,
      expectMessage:
        'TokenRequest.authentication.k8s.io "builder" is invalid: spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes',
    },
    {
      name: 'pod of another account',
      body: () =>
        protobufTokenRequest({
          boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'other', uid: '' },
        }),
      contentType: PROTOBUF,
      expectCode: 400,
      expectMessage:
        'cannot bind token for serviceaccount "builder" to pod running with serviceaccount "default"',
    },
    {
      name: 'unsupported bound kind',
      body: () =>
        JSON.stringify({
          spec: { boundObjectRef: { kind: 'Node', apiVersion: 'v1', name: 'n1' } },
        }),
      contentType: 'application/json',
      expectCode: 400,
      expectMessage: 'cannot bind token to object of type /v1, Kind=Node',
    },
    {
      name: 'stale pod UID',
      body: () =>
        JSON.stringify({
          spec: { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web', uid: 'old' } },
        }),
      contentType: 'application/json',
      expectCode: 409,
      expectMessage:
        'Operation cannot be fulfilled on Pod "web": the UID in the bound object reference (old) does not match the UID in record (pod-uid). The object might have been deleted and then recreated',
    },
    {
      name: 'wrong kind',
      body: () => JSON.stringify({ apiVersion: 'v1', kind: 'Pod' }),
      contentType: 'application/json',
      expectCode: 400,
      expectMessage: 'not a TokenRequest: v1, Kind=Pod',
    },
  ];
  for (const tc of failures) {
    it(`${tc.name} gets ${tc.expectCode}`, async () => {
      const response = await post(tc.body(), tc.contentType, tc.path);
      expect(response.status).to.equal(tc.expectCode);
      if (tc.expectMessage === undefined) return;
      const status = JSON.parse(response.body) as { kind: string; message: string };
      expect(status.kind).to.equal('Status');
      expect(status.message).to.equal(tc.expectMessage);
    });
  }

  it('long lifetime is shortened with a warning', async () => {
    const response = await post(
      JSON.stringify({ spec: { expirationSeconds: 86400 } }),
      'application/json',
    );
    expect(response.status).to.equal(201);
    expect(response.headers.warning).to.equal(
      '299 - "requested expiration of 86400 seconds shortened to 7200 seconds"',
    );
    const body = JSON.parse(response.body) as { spec: { expirationSeconds: number } };
    expect(body.spec.expirationSeconds).to.equal(7200);
  });
});
