import { expect } from 'chai';
import { createPrivateKey } from 'node:crypto';
import {
  generateCA,
  type CertificateKeyPair,
} from '../../../../../cmd/apiserver/app/bootstrap/pki.js';
import { validateServingCertKey } from '../../../../../cmd/apiserver/app/serving_cert_key.js';

const CERT = { flag: '--tls-cert-file', path: '/certs/apiserver.crt' };
const KEY = { flag: '--tls-private-key-file', path: '/certs/apiserver.key' };

/** Runs the validator and returns its error message, or undefined when it accepts the pair. */
function errorOf(certPem: string, keyPem: string): string | undefined {
  try {
    validateServingCertKey(certPem, CERT, keyPem, KEY);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** Replaces the base64 body of the first PEM block with text that is not base64. */
function corruptBody(pem: string): string {
  const lines = pem.trim().split('\n');
  return [lines[0], '!!!! not base64 !!!!', lines[lines.length - 1], ''].join('\n');
}

describe('validateServingCertKey', () => {
  let pair: CertificateKeyPair;
  let other: CertificateKeyPair;

  before(() => {
    pair = generateCA('serving');
    other = generateCA('other');
  });

  it('matching pair accepted', () => {
    expect(errorOf(pair.certPem, pair.keyPem)).to.equal(undefined);
  });

  it('chain with leaf first accepted', () => {
    expect(errorOf(pair.certPem + other.certPem, pair.keyPem)).to.equal(undefined);
  });

  it('PKCS #8 key accepted', () => {
    const pkcs8 = createPrivateKey(pair.keyPem).export({ type: 'pkcs8', format: 'pem' });

    expect(errorOf(pair.certPem, pkcs8.toString())).to.equal(undefined);
  });

  const cases: { name: string; cert: () => string; key: () => string; expectError: string }[] = [
    {
      name: 'empty certificate file',
      cert: () => '',
      key: () => pair.keyPem,
      expectError: '--tls-cert-file: /certs/apiserver.crt: no PEM certificate found',
    },
    {
      name: 'key in certificate file',
      cert: () => pair.keyPem,
      key: () => pair.keyPem,
      expectError: '--tls-cert-file: /certs/apiserver.crt: no PEM certificate found',
    },
    {
      name: 'bad base64 in certificate',
      cert: () => corruptBody(pair.certPem),
      key: () => pair.keyPem,
      expectError: '--tls-cert-file: /certs/apiserver.crt: certificate 1 is invalid: ',
    },
    {
      name: 'bad second certificate',
      cert: () => pair.certPem + corruptBody(other.certPem),
      key: () => pair.keyPem,
      expectError: '--tls-cert-file: /certs/apiserver.crt: certificate 2 is invalid: ',
    },
    {
      name: 'certificate in key file',
      cert: () => pair.certPem,
      key: () => pair.certPem,
      expectError: '--tls-private-key-file: /certs/apiserver.key: no PEM private key found',
    },
    {
      name: 'bad base64 in key',
      cert: () => pair.certPem,
      key: () => corruptBody(pair.keyPem),
      expectError: '--tls-private-key-file: /certs/apiserver.key: invalid private key: ',
    },
    {
      name: 'key of another certificate',
      cert: () => pair.certPem,
      key: () => other.keyPem,
      expectError:
        '--tls-private-key-file: /certs/apiserver.key: the private key does not match the certificate in --tls-cert-file /certs/apiserver.crt',
    },
    {
      name: 'key of second certificate',
      cert: () => pair.certPem + other.certPem,
      key: () => other.keyPem,
      expectError:
        '--tls-private-key-file: /certs/apiserver.key: the private key does not match the certificate in --tls-cert-file /certs/apiserver.crt',
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const message = errorOf(tc.cert(), tc.key());

      expect(message).to.be.a('string');
      expect(message).to.satisfy((text: string) => text.startsWith(tc.expectError));
      expect(message).not.to.contain('\n');
    });
  }
});
