import { expect } from 'chai';
import { parse } from 'yaml';

import { buildKubeconfig } from '../../../../../../cmd/apiserver/app/bootstrap/kubeconfig.js';
import type { KubeconfigOptions } from '../../../../../../cmd/apiserver/app/bootstrap/kubeconfig.js';

interface ParsedKubeconfig {
  apiVersion: string;
  kind: string;
  clusters: { name: string; cluster: Record<string, unknown> }[];
  users: { name: string; user: Record<string, unknown> }[];
  contexts: { name: string; context: Record<string, unknown> }[];
  'current-context': string;
}

const SERVER = 'https://127.0.0.1:6443';
const CA_PEM = '-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n';
const CERT_PEM = '-----BEGIN CERTIFICATE-----\nCLIENT\n-----END CERTIFICATE-----\n';
const KEY_PEM = '-----BEGIN RSA PRIVATE KEY-----\nKEY\n-----END RSA PRIVATE KEY-----\n';
const TOKEN = 'abc_DEF-123';

function base64(text: string): string {
  return Buffer.from(text).toString('base64');
}

describe('bootstrap buildKubeconfig', () => {
  const cases: {
    name: string;
    options: KubeconfigOptions;
    expectCluster: Record<string, unknown>;
    expectUser: Record<string, unknown>;
  }[] = [
    {
      name: 'certificate and token',
      options: {
        server: SERVER,
        caPem: CA_PEM,
        clientCertPem: CERT_PEM,
        clientKeyPem: KEY_PEM,
        token: TOKEN,
      },
      expectCluster: { server: SERVER, 'certificate-authority-data': base64(CA_PEM) },
      expectUser: {
        'client-certificate-data': base64(CERT_PEM),
        'client-key-data': base64(KEY_PEM),
        token: TOKEN,
      },
    },
    {
      name: 'certificate only',
      options: { server: SERVER, caPem: CA_PEM, clientCertPem: CERT_PEM, clientKeyPem: KEY_PEM },
      expectCluster: { server: SERVER, 'certificate-authority-data': base64(CA_PEM) },
      expectUser: {
        'client-certificate-data': base64(CERT_PEM),
        'client-key-data': base64(KEY_PEM),
      },
    },
    {
      name: 'token only',
      options: { server: SERVER, caPem: CA_PEM, token: TOKEN },
      expectCluster: { server: SERVER, 'certificate-authority-data': base64(CA_PEM) },
      expectUser: { token: TOKEN },
    },
    {
      name: 'insecure without credentials',
      options: { server: SERVER, insecureSkipTLSVerify: true },
      expectCluster: { server: SERVER, 'insecure-skip-tls-verify': true },
      expectUser: {},
    },
    {
      name: 'no CA',
      options: { server: SERVER, token: TOKEN },
      expectCluster: { server: SERVER },
      expectUser: { token: TOKEN },
    },
  ];

  for (const tc of cases) {
    it(`writes ${tc.name}`, () => {
      const config = parse(buildKubeconfig(tc.options)) as ParsedKubeconfig;
      expect(config.apiVersion).to.equal('v1');
      expect(config.kind).to.equal('Config');
      expect(config.clusters).to.deep.equal([
        { name: 'mini-kube-apiserver', cluster: tc.expectCluster },
      ]);
      expect(config.users).to.deep.equal([{ name: 'admin', user: tc.expectUser }]);
      expect(config.contexts).to.deep.equal([
        {
          name: 'admin@mini-kube-apiserver',
          context: { cluster: 'mini-kube-apiserver', user: 'admin', namespace: 'default' },
        },
      ]);
      expect(config['current-context']).to.equal('admin@mini-kube-apiserver');
    });
  }

  const invalid: { name: string; options: KubeconfigOptions; expectMessage: RegExp }[] = [
    {
      name: 'certificate without key',
      options: { server: SERVER, clientCertPem: CERT_PEM },
      expectMessage: /clientCertPem and clientKeyPem must be set together/,
    },
    {
      name: 'key without certificate',
      options: { server: SERVER, clientKeyPem: KEY_PEM },
      expectMessage: /clientCertPem and clientKeyPem must be set together/,
    },
    {
      name: 'CA with insecure',
      options: { server: SERVER, caPem: CA_PEM, insecureSkipTLSVerify: true },
      expectMessage: /caPem and insecureSkipTLSVerify exclude each other/,
    },
  ];
  for (const tc of invalid) {
    it(`rejects ${tc.name}`, () => {
      expect(() => buildKubeconfig(tc.options)).to.throw(TypeError, tc.expectMessage);
    });
  }
});
