import { expect } from 'chai';
import {
  discoveryURL,
  parseProviderMetadata,
} from '../../../../../../../plugin/auth/authenticator/token/oidc/discovery.js';
import { httpsGet } from '../../../../../../../plugin/auth/authenticator/token/oidc/https_get.js';

const ISSUER = 'https://issuer.example';

describe('discoveryURL', () => {
  const cases = [
    {
      name: 'bare host',
      issuer: 'https://a.example',
      expect: 'https://a.example/.well-known/openid-configuration',
    },
    {
      name: 'trailing slash',
      issuer: 'https://a.example/',
      expect: 'https://a.example/.well-known/openid-configuration',
    },
    {
      name: 'path',
      issuer: 'https://a.example/realms/k8s',
      expect: 'https://a.example/realms/k8s/.well-known/openid-configuration',
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(discoveryURL(tc.issuer).href).to.equal(tc.expect);
    });
  }
});

describe('parseProviderMetadata', () => {
  it('returns issuer and JWKS URL', () => {
    const metadata = parseProviderMetadata({ issuer: ISSUER, jwks_uri: `${ISSUER}/jwks` }, ISSUER);

    expect(metadata.issuer).to.equal(ISSUER);
    expect(metadata.jwksURI.href).to.equal(`${ISSUER}/jwks`);
  });

  const invalid: { name: string; document: unknown; expectMessage: string }[] = [
    {
      name: 'array',
      document: [],
      expectMessage: 'invalid discovery document: expected a JSON object',
    },
    {
      name: 'other issuer',
      document: { issuer: `${ISSUER}/`, jwks_uri: `${ISSUER}/jwks` },
      expectMessage: `invalid discovery document: issuer "${ISSUER}/" does not match the configured issuer "${ISSUER}"`,
    },
    {
      name: 'no jwks_uri',
      document: { issuer: ISSUER },
      expectMessage: 'invalid discovery document: jwks_uri is missing',
    },
    {
      name: 'http jwks_uri',
      document: { issuer: ISSUER, jwks_uri: 'http://issuer.example/jwks' },
      expectMessage:
        'invalid discovery document: jwks_uri "http://issuer.example/jwks" is not an https URL',
    },
  ];
  for (const tc of invalid) {
    it(`rejects ${tc.name}`, () => {
      expect(() => parseProviderMetadata(tc.document, ISSUER)).to.throw(Error, tc.expectMessage);
    });
  }
});

describe('httpsGet', () => {
  it('rejects plain http', async () => {
    const error = await httpsGet(new URL('http://127.0.0.1:1/'), { timeoutMs: 1000 }).then(
      () => expect.fail('expected an error'),
      (err: Error) => err,
    );

    expect(error.message).to.equal(
      'unable to fetch http://127.0.0.1:1/: only https URLs are allowed',
    );
  });
});
