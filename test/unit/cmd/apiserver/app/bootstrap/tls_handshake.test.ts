import { mkdtemp, readFile, rm } from 'node:fs/promises';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { expect } from 'chai';
import winston from 'winston';

import { ensureEmbeddedDefault } from '../../../../../../cmd/apiserver/app/bootstrap/embedded_default.js';
import { generateCA } from '../../../../../../cmd/apiserver/app/bootstrap/pki.js';

interface PeerIdentity {
  authorized: boolean;
  commonName: string;
  organization: string;
}

interface ClientCredentials {
  ca: string;
  cert?: string;
  key?: string;
  servername?: string;
}

// Sends GET / to the server on 127.0.0.1 and returns the identity that the server saw.
function requestIdentity(port: number, credentials: ClientCredentials): Promise<PeerIdentity> {
  return new Promise((resolve, reject) => {
    const request = https.request(
      { host: '127.0.0.1', port, path: '/', method: 'GET', agent: false, ...credentials },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as PeerIdentity);
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end();
  });
}

// Returns the error of a request that must fail, and fails the test when the request succeeds.
async function expectRequestError(
  port: number,
  credentials: ClientCredentials,
): Promise<NodeJS.ErrnoException> {
  try {
    const identity = await requestIdentity(port, credentials);
    throw new Error(`expected the request to fail, but the server saw ${JSON.stringify(identity)}`);
  } catch (err) {
    if (err instanceof Error && err.message.startsWith('expected the request to fail')) {
      throw err;
    }
    return err as NodeJS.ErrnoException;
  }
}

describe('bootstrap TLS handshake', () => {
  let dir: string;
  let server: https.Server;
  let port: number;
  let caPem: string;
  let adminCert: string;
  let adminKey: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'embedded-tls-'));
    const embedded = await ensureEmbeddedDefault({
      certDir: dir,
      needServingCert: true,
      needClientCA: true,
      needTokenFile: false,
      logger: winston.createLogger({ silent: true }),
    });
    caPem = await readFile(embedded.caFile, 'utf8');
    adminCert = await readFile(embedded.adminClientCertFile!, 'utf8');
    adminKey = await readFile(embedded.adminClientKeyFile!, 'utf8');

    server = https.createServer(
      {
        cert: await readFile(embedded.servingCertFile!, 'utf8'),
        key: await readFile(embedded.servingKeyFile!, 'utf8'),
        ca: caPem,
        requestCert: true,
        rejectUnauthorized: true,
      },
      (req, res) => {
        const socket = req.socket as TLSSocket;
        const peer = socket.getPeerCertificate();
        const identity: PeerIdentity = {
          authorized: socket.authorized,
          commonName: String(peer.subject.CN),
          organization: String(peer.subject.O),
        };
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify(identity));
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });

  const accepted = [
    { name: 'IP address 127.0.0.1', servername: undefined },
    { name: 'DNS name localhost', servername: 'localhost' },
  ];
  for (const tc of accepted) {
    it(`authenticates admin via ${tc.name}`, async () => {
      const credentials: ClientCredentials = { ca: caPem, cert: adminCert, key: adminKey };
      if (tc.servername !== undefined) {
        credentials.servername = tc.servername;
      }
      const identity = await requestIdentity(port, credentials);
      expect(identity).to.deep.equal({
        authorized: true,
        commonName: 'admin',
        organization: 'system:masters',
      });
    });
  }

  it('rejects a client without certificate', async () => {
    const err = await expectRequestError(port, { ca: caPem });
    expect(err.code).to.be.oneOf(['ECONNRESET', 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED']);
  });

  it('fails for a client trusting another CA', async () => {
    const otherCA = generateCA('other-ca');
    const err = await expectRequestError(port, {
      ca: otherCA.certPem,
      cert: adminCert,
      key: adminKey,
    });
    // The server completes the chain it sends from its `ca` option, so the client sees a
    // self-signed root that it does not trust, not a leaf without a known issuer.
    expect(err.code).to.equal('SELF_SIGNED_CERT_IN_CHAIN');
  });

  it('fails for a name outside the SANs', async () => {
    const err = await expectRequestError(port, {
      ca: caPem,
      cert: adminCert,
      key: adminKey,
      servername: 'kubernetes.default.svc',
    });
    expect(err.code).to.equal('ERR_TLS_CERT_ALTNAME_INVALID');
  });
});
