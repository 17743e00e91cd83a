import { expect } from 'chai';
import { generateKeyPairSync } from 'node:crypto';
import { createOIDCDiscoveryHandlers } from '../../../../../pkg/endpoints/handlers/oidc_discovery.js';
import { describePublicKey } from '../../../../../pkg/serviceaccount/keys.js';
import { buildOpenIDMetadata } from '../../../../../pkg/serviceaccount/openidmetadata.js';
import { serveOnce } from '../../../helpers/koa_context.js';

const ISSUER = 'https://kubernetes.default.svc';
const rsaKey = describePublicKey(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey);
const ecKey = describePublicKey(generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey);

describe('OIDC discovery handlers', () => {
  it('configuration document', async () => {
    const handlers = createOIDCDiscoveryHandlers(
      await buildOpenIDMetadata(ISSUER, [rsaKey, ecKey]),
    );
    const response = await serveOnce([(ctx) => handlers.serveConfiguration(ctx)], {
      path: '/.well-known/openid-configuration',
    });
    expect(response.status).to.equal(200);
    expect(response.headers['content-type']).to.equal('application/json');
    expect(response.headers['cache-control']).to.equal('public, max-age=3600');
    expect(response.body).to.equal(
      JSON.stringify({
        issuer: ISSUER,
        jwks_uri: `${ISSUER}/openid/v1/jwks`,
        response_types_supported: ['id_token'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['ES384', 'RS256'],
      }),
    );
  });

  it('key set document', async () => {
    const handlers = createOIDCDiscoveryHandlers(
      await buildOpenIDMetadata(ISSUER, [rsaKey, ecKey]),
    );
    const response = await serveOnce([(ctx) => handlers.serveKeySet(ctx)], {
      path: '/openid/v1/jwks',
    });
    expect(response.status).to.equal(200);
    expect(response.headers['content-type']).to.equal('application/jwk-set+json');
    const body = JSON.parse(response.body) as { keys: Record<string, string>[] };
    expect(body.keys.map((key) => Object.keys(key))).to.deep.equal([
      ['use', 'kty', 'kid', 'alg', 'n', 'e'],
      ['use', 'kty', 'kid', 'crv', 'alg', 'x', 'y'],
    ]);
    expect(body.keys[0]).to.include({ use: 'sig', kty: 'RSA', kid: rsaKey.keyID, alg: 'RS256' });
    expect(body.keys[1]).to.include({ kty: 'EC', kid: ecKey.keyID, crv: 'P-384', alg: 'ES384' });
  });

  const invalidIssuers = [
    {
      issuer: 'http://kubernetes.default.svc',
      expectMessage: 'issuer URL must use https scheme, got: http://kubernetes.default.svc',
    },
    {
      issuer: 'https://k8s.example.com?a=b',
      expectMessage: 'issuer URL may not include a query, got: https://k8s.example.com?a=b',
    },
    {
      issuer: 'kubernetes/serviceaccount',
      expectMessage: 'issuer URL kubernetes/serviceaccount is not a valid URL',
    },
  ];
  for (const tc of invalidIssuers) {
    it(`rejects issuer ${tc.issuer}`, async () => {
      let thrown: unknown;
      try {
        await buildOpenIDMetadata(tc.issuer, [rsaKey]);
      } catch (err) {
        thrown = err;
      }
      if (!(thrown instanceof Error)) return expect.fail('expected an error');
      expect(thrown.message).to.equal(tc.expectMessage);
    });
  }
});
