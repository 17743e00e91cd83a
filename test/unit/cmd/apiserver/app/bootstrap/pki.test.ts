import { X509Certificate, createPrivateKey } from 'node:crypto';
import { expect } from 'chai';

import {
  CA_VALIDITY_MS,
  LEAF_VALIDITY_MS,
  NOT_BEFORE_BACKDATE_MS,
  findCertificateProblem,
  generateCA,
  generateClientCert,
  generateServingCert,
  parseCertificateValidity,
} from '../../../../../../cmd/apiserver/app/bootstrap/pki.js';
import type {
  CertificateKeyPair,
  CertificateRequirements,
} from '../../../../../../cmd/apiserver/app/bootstrap/pki.js';

const SERVER_AUTH_OID = '1.3.6.1.5.5.7.3.1';
const CLIENT_AUTH_OID = '1.3.6.1.5.5.7.3.2';
const DAY_MS = 24 * 60 * 60 * 1000;
const clientOptions = { commonName: 'admin', organizations: ['system:masters', 'team-a'] };

function expiredValidity(): { notBefore: Date; notAfter: Date } {
  const now = Date.now();
  return { notBefore: new Date(now - 30 * DAY_MS), notAfter: new Date(now - DAY_MS) };
}

describe('bootstrap pki', () => {
  let ca: CertificateKeyPair;
  let otherCA: CertificateKeyPair;
  let caCert: X509Certificate;

  before(() => {
    ca = generateCA('test-ca');
    otherCA = generateCA('other-ca');
    caCert = new X509Certificate(ca.certPem);
  });

  describe('generateCA', () => {
    it('is a self-signed CA', () => {
      expect(caCert.ca).to.be.true;
      expect(caCert.subject).to.equal('CN=test-ca');
      expect(caCert.issuer).to.equal('CN=test-ca');
      expect(caCert.checkIssued(caCert)).to.be.true;
      expect(caCert.verify(caCert.publicKey)).to.be.true;
    });

    it('uses an RSA 2048 key that matches', () => {
      const key = createPrivateKey(ca.keyPem);
      expect(key.asymmetricKeyType).to.equal('rsa');
      expect(key.asymmetricKeyDetails?.modulusLength).to.equal(2048);
      expect(caCert.checkPrivateKey(key)).to.be.true;
      expect(ca.keyPem).to.match(/^-----BEGIN RSA PRIVATE KEY-----/);
    });

    it('is valid for ten years', () => {
      const { notBefore, notAfter } = parseCertificateValidity(ca.certPem);
      expect(notAfter.getTime() - notBefore.getTime()).to.equal(CA_VALIDITY_MS);
      expect(notBefore.getTime()).to.be.at.most(Date.now() - NOT_BEFORE_BACKDATE_MS + 1000);
    });
  });

  describe('generateServingCert', () => {
    let serving: CertificateKeyPair;
    let cert: X509Certificate;

    before(() => {
      serving = generateServingCert(ca, { dnsNames: ['localhost'], ips: ['127.0.0.1', '::1'] });
      cert = new X509Certificate(serving.certPem);
    });

    it('verifies against the CA', () => {
      expect(cert.checkIssued(caCert)).to.be.true;
      expect(cert.verify(caCert.publicKey)).to.be.true;
      expect(cert.verify(new X509Certificate(otherCA.certPem).publicKey)).to.be.false;
    });

    it('has serverAuth and is no CA', () => {
      expect(cert.keyUsage).to.deep.equal([SERVER_AUTH_OID]);
      expect(cert.ca).to.be.false;
    });

    const names = [
      { name: 'DNS localhost', check: (c: X509Certificate) => c.checkHost('localhost') },
      { name: 'IPv4 loopback', check: (c: X509Certificate) => c.checkIP('127.0.0.1') },
      { name: 'IPv6 loopback', check: (c: X509Certificate) => c.checkIP('::1') },
    ];
    for (const tc of names) {
      it(`covers ${tc.name}`, () => {
        expect(tc.check(cert)).to.not.equal(undefined);
      });
    }

    it('covers no other host', () => {
      expect(cert.checkHost('example.com')).to.equal(undefined);
      expect(cert.checkIP('10.0.0.1')).to.equal(undefined);
    });

    it('defaults the CN to the first DNS name', () => {
      expect(cert.subject).to.equal('CN=localhost');
    });

    it('is valid for one year', () => {
      const { notBefore, notAfter } = parseCertificateValidity(serving.certPem);
      expect(notAfter.getTime() - notBefore.getTime()).to.equal(LEAF_VALIDITY_MS);
    });

    it('has a positive random serial', () => {
      const other = new X509Certificate(generateClientCert(ca, clientOptions).certPem);
      expect(cert.serialNumber).to.match(/^[0-7][0-9A-F]{31}$/);
      expect(cert.serialNumber).to.not.equal(other.serialNumber);
    });

    const invalid = [
      { name: 'no names', options: { dnsNames: [], ips: [] }, expectMessage: /both be empty/ },
      {
        name: 'invalid IP',
        options: { dnsNames: ['localhost'], ips: ['300.1.1.1'] },
        expectMessage: /"300.1.1.1" is not a valid IP address/,
      },
    ];
    for (const tc of invalid) {
      it(`rejects ${tc.name}`, () => {
        expect(() => generateServingCert(ca, tc.options)).to.throw(TypeError, tc.expectMessage);
      });
    }
  });

  describe('generateClientCert', () => {
    let cert: X509Certificate;

    before(() => {
      cert = new X509Certificate(generateClientCert(ca, clientOptions).certPem);
    });

    it('has the CN and every O', () => {
      const lines = cert.subject.split('\n');
      expect(lines).to.include('CN=admin');
      expect(lines).to.include('O=system:masters');
      expect(lines).to.include('O=team-a');
    });

    it('has clientAuth only', () => {
      expect(cert.keyUsage).to.deep.equal([CLIENT_AUTH_OID]);
    });

    it('verifies against the CA', () => {
      expect(cert.checkIssued(caCert)).to.be.true;
      expect(cert.verify(caCert.publicKey)).to.be.true;
    });

    it('accepts a validity override', () => {
      const validity = expiredValidity();
      const expired = generateClientCert(ca, { ...clientOptions, validity });
      const parsed = parseCertificateValidity(expired.certPem);
      expect(parsed.notAfter.getTime()).to.equal(
        Math.floor(validity.notAfter.getTime() / 1000) * 1000,
      );
      expect(parsed.notBefore.getTime()).to.equal(
        Math.floor(validity.notBefore.getTime() / 1000) * 1000,
      );
    });
  });

  describe('parseCertificateValidity', () => {
    it('reads the exact times', () => {
      const validity = {
        notBefore: new Date('2024-02-29T01:02:03Z'),
        notAfter: new Date('2025-12-31T23:59:59Z'),
      };
      const pair = generateCA('fixed', { validity });
      expect(parseCertificateValidity(pair.certPem)).to.deep.equal(validity);
    });

    const invalid = [
      { name: 'empty text', pem: '' },
      { name: 'garbage', pem: 'not a certificate' },
      {
        name: 'truncated PEM',
        pem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
      },
    ];
    for (const tc of invalid) {
      it(`throws on ${tc.name}`, () => {
        expect(() => parseCertificateValidity(tc.pem)).to.throw(/unable to parse certificate PEM/);
      });
    }
  });

  describe('findCertificateProblem', () => {
    type Case = {
      name: string;
      pair: () => CertificateKeyPair;
      requirements: () => CertificateRequirements;
      expectProblem: RegExp | undefined;
    };
    const now = (): Date => new Date();
    const serving = (): CertificateKeyPair =>
      generateServingCert(ca, { dnsNames: ['localhost'], ips: ['127.0.0.1'] });
    const cases: Case[] = [
      {
        name: 'usable CA',
        pair: () => ca,
        requirements: () => ({ now: now(), isCA: true }),
        expectProblem: undefined,
      },
      {
        name: 'usable serving cert',
        pair: serving,
        requirements: () => ({
          now: now(),
          issuerPem: ca.certPem,
          dnsNames: ['localhost'],
          ips: ['127.0.0.1'],
        }),
        expectProblem: undefined,
      },
      {
        name: 'unparsable certificate',
        pair: () => ({ certPem: 'garbage', keyPem: ca.keyPem }),
        requirements: () => ({ now: now() }),
        expectProblem: /^certificate does not parse: unable to parse certificate PEM/,
      },
      {
        name: 'expired certificate',
        pair: () => generateCA('old', { validity: expiredValidity() }),
        requirements: () => ({ now: now() }),
        expectProblem: /^certificate expired at \d{4}-/,
      },
      {
        name: 'certificate from the future',
        pair: () => ca,
        requirements: () => ({ now: new Date(Date.now() - 2 * DAY_MS) }),
        expectProblem: /^certificate is not valid before /,
      },
      {
        name: 'clock past notAfter',
        pair: () => ca,
        requirements: () => ({ now: new Date(Date.now() + CA_VALIDITY_MS) }),
        expectProblem: /^certificate expired at /,
      },
      {
        name: 'key of another certificate',
        pair: () => ({ certPem: ca.certPem, keyPem: otherCA.keyPem }),
        requirements: () => ({ now: now() }),
        expectProblem: /^private key does not match the certificate$/,
      },
      {
        name: 'unparsable key',
        pair: () => ({ certPem: ca.certPem, keyPem: 'garbage' }),
        requirements: () => ({ now: now() }),
        expectProblem: /^private key does not parse: /,
      },
      {
        name: 'leaf where a CA is required',
        pair: serving,
        requirements: () => ({ now: now(), isCA: true }),
        expectProblem: /^certificate is not a CA$/,
      },
      {
        name: 'signed by another CA',
        pair: serving,
        requirements: () => ({ now: now(), issuerPem: otherCA.certPem }),
        expectProblem: /^certificate is not signed by the current CA$/,
      },
      {
        name: 'missing SANs',
        pair: serving,
        requirements: () => ({ now: now(), dnsNames: ['localhost', 'kube'], ips: ['::1'] }),
        expectProblem: /^certificate does not cover kube, ::1$/,
      },
    ];
    for (const tc of cases) {
      it(tc.name, () => {
        const problem = findCertificateProblem(tc.pair(), tc.requirements());
        if (tc.expectProblem === undefined) {
          expect(problem).to.equal(undefined);
        } else {
          expect(problem).to.match(tc.expectProblem);
        }
      });
    }
  });
});
