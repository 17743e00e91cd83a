import { expect } from 'chai';
import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { connect, createServer } from 'node:tls';
import type { Server } from 'node:tls';
import forge from 'node-forge';
import type {
  AuthenticationResult,
  RequestAuthenticator,
} from '../../../../../../../pkg/auth/authenticator/interfaces.js';
import {
  loadClientCA,
  x509Authenticator,
} from '../../../../../../../plugin/auth/authenticator/request/x509/x509.js';
import { fakeRequest } from '../../../../../helpers/fake_request.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
// Whole seconds, because certificates store validity times in seconds.
const BASE_MS = Math.floor(Date.now() / 1000) * 1000;

interface Issued {
  readonly cert: forge.pki.Certificate;
  readonly key: forge.pki.rsa.PrivateKey;
  readonly publicKey: forge.pki.PublicKey;
  readonly certPem: string;
  readonly keyPem: string;
  readonly serial: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

interface IssueOptions {
  serial: string;
  cn?: string;
  orgs?: string[];
  issuer?: Issued;
  /** Reuses the key pair of another certificate, as a renewed CA does. */
  keyOf?: Issued;
  ca?: boolean;
  extKeyUsage?: 'clientAuth' | 'serverAuth';
  notBeforeMs?: number;
  notAfterMs?: number;
}

function generateKey(): Pick<Issued, 'key' | 'publicKey' | 'keyPem'> {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = pair.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const publicPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return {
    key: forge.pki.privateKeyFromPem(keyPem),
    publicKey: forge.pki.publicKeyFromPem(publicPem),
    keyPem,
  };
}

/** Issues an RSA certificate, self-signed when `issuer` is not given. */
function issue(options: IssueOptions): Issued {
  const { key, publicKey, keyPem } = options.keyOf ?? generateKey();

  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = options.serial;
  cert.validity.notBefore = new Date(options.notBeforeMs ?? BASE_MS - HOUR_MS);
  cert.validity.notAfter = new Date(options.notAfterMs ?? BASE_MS + DAY_MS);

  const subject: forge.pki.CertificateField[] = [];
  for (const org of options.orgs ?? []) subject.push({ name: 'organizationName', value: org });
  if (options.cn !== undefined) subject.push({ name: 'commonName', value: options.cn });
  cert.setSubject(subject);
  cert.setIssuer(options.issuer?.cert.subject.attributes ?? subject);

  const extensions: object[] = [];
  if (options.ca === true) {
    extensions.push({ name: 'basicConstraints', cA: true, critical: true });
    extensions.push({ name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true });
  } else {
    extensions.push({ name: 'keyUsage', digitalSignature: true, keyEncipherment: true });
  }
  if (options.extKeyUsage !== undefined) {
    extensions.push({ name: 'extKeyUsage', [options.extKeyUsage]: true });
  }
  cert.setExtensions(extensions);
  cert.sign(options.issuer?.key ?? key, forge.md.sha256.create());

  return {
    cert,
    key,
    publicKey,
    certPem: forge.pki.certificateToPem(cert),
    keyPem,
    serial: options.serial.toUpperCase(),
    notBefore: cert.validity.notBefore,
    notAfter: cert.validity.notAfter,
  };
}

/** Formats a time as Go prints it in x509 validity errors. */
function goTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A TLS server on 127.0.0.1 that requests client certificates but accepts every client. */
class TestTLSServer {
  private readonly sockets: TLSSocket[] = [];

  private constructor(private readonly server: Server) {}

  static async start(serverCert: Issued): Promise<TestTLSServer> {
    const server = createServer({
      cert: serverCert.certPem,
      key: serverCert.keyPem,
      requestCert: true,
      rejectUnauthorized: false,
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new TestTLSServer(server);
  }

  /**
   * Connects a client that presents `certificates` (leaf first) and returns the server side of
   * the connection once its handshake is done.
   */
  async connect(key?: string, certificates: Issued[] = []): Promise<TLSSocket> {
    const accepted = new Promise<TLSSocket>((resolve) =>
      this.server.once('secureConnection', resolve),
    );
    const { port } = this.server.address() as AddressInfo;
    const client = connect({
      host: '127.0.0.1',
      port,
      key,
      cert: certificates.length > 0 ? certificates.map((c) => c.certPem).join('') : undefined,
      // The server certificate is not what these tests are about.
      rejectUnauthorized: false,
    });
    client.on('error', () => undefined);
    this.sockets.push(client);

    const socket = await accepted;
    this.sockets.push(socket);
    return socket;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Wraps socket.getPeerCertificate to count how often the authenticator reads the chain. */
function countPeerCertificateReads(socket: TLSSocket): { readonly count: number } {
  const counter = { count: 0 };
  const original = socket.getPeerCertificate.bind(socket) as (detailed?: boolean) => unknown;
  socket.getPeerCertificate = ((detailed?: boolean) => {
    counter.count++;
    return original(detailed);
  }) as TLSSocket['getPeerCertificate'];
  return counter;
}

function authenticateSocket(
  authenticator: RequestAuthenticator,
  socket: TLSSocket | undefined,
): Promise<AuthenticationResult> {
  return authenticator.authenticateRequest(fakeRequest({ tlsSocket: socket }));
}

/** The client certificates of the x509Authenticator tests, by the case they exercise. */
type ClientCertificateName =
  | 'expired'
  | 'notYetValid'
  | 'serverOnly'
  | 'otherCA'
  | 'impostor'
  | 'noExtKeyUsage'
  | 'noCommonName'
  | 'underExpiredIntermediate';

describe('x509Authenticator', function () {
  // Generating a dozen RSA keys takes a few seconds on a slow machine.
  this.timeout(60_000);

  let root: Issued;
  let intermediate: Issued;
  let expiredIntermediate: Issued;
  let jane: Issued;
  let certs: Record<ClientCertificateName, Issued>;
  let server: TestTLSServer;
  let nowMs: number;
  let authenticator: RequestAuthenticator;

  before(async () => {
    root = issue({
      serial: '01',
      cn: 'test root CA',
      ca: true,
      notAfterMs: BASE_MS + 365 * DAY_MS,
    });
    intermediate = issue({ serial: '02', cn: 'test intermediate CA', ca: true, issuer: root });
    expiredIntermediate = issue({
      serial: '03',
      cn: 'test expired intermediate CA',
      ca: true,
      issuer: root,
      notBeforeMs: BASE_MS - 10 * DAY_MS,
      notAfterMs: BASE_MS - DAY_MS,
    });
    const otherRoot = issue({ serial: '04', cn: 'other root CA', ca: true });
    // Same subject as the trusted root but another key, so only the signature distinguishes them.
    const impostorRoot = issue({ serial: '05', cn: 'test root CA', ca: true });

    jane = issue({
      serial: '1001',
      cn: 'jane',
      orgs: ['devs', 'qa'],
      extKeyUsage: 'clientAuth',
      issuer: intermediate,
    });
    certs = {
      expired: issue({
        serial: '1002',
        cn: 'old',
        extKeyUsage: 'clientAuth',
        issuer: root,
        notBeforeMs: BASE_MS - 10 * DAY_MS,
        notAfterMs: BASE_MS - DAY_MS,
      }),
      notYetValid: issue({
        serial: '1003',
        cn: 'early',
        extKeyUsage: 'clientAuth',
        issuer: root,
        notBeforeMs: BASE_MS + DAY_MS,
        notAfterMs: BASE_MS + 2 * DAY_MS,
      }),
      serverOnly: issue({ serial: '1004', cn: 'web', extKeyUsage: 'serverAuth', issuer: root }),
      otherCA: issue({
        serial: '1005',
        cn: 'mallory',
        extKeyUsage: 'clientAuth',
        issuer: otherRoot,
      }),
      impostor: issue({
        serial: '1006',
        cn: 'admin',
        orgs: ['system:masters'],
        extKeyUsage: 'clientAuth',
        issuer: impostorRoot,
      }),
      noExtKeyUsage: issue({ serial: '1007', cn: 'bob', issuer: root }),
      noCommonName: issue({
        serial: '1008',
        orgs: ['devs'],
        extKeyUsage: 'clientAuth',
        issuer: root,
      }),
      underExpiredIntermediate: issue({
        serial: '1009',
        cn: 'carol',
        extKeyUsage: 'clientAuth',
        issuer: expiredIntermediate,
      }),
    };
    server = await TestTLSServer.start(issue({ serial: '2001', cn: '127.0.0.1', issuer: root }));
  });

  after(async () => {
    await server?.stop();
  });

  beforeEach(() => {
    nowMs = BASE_MS;
    authenticator = x509Authenticator({ clientCA: root.certPem, now: () => new Date(nowMs) });
  });

  it('authenticates client through intermediate', async () => {
    const socket = await server.connect(jane.keyPem, [jane, intermediate]);

    const result = await authenticateSocket(authenticator, socket);

    expect(result.kind).to.equal('authenticated');
    if (result.kind !== 'authenticated') return;
    expect(result.user.name).to.equal('jane');
    expect(result.user.groups).to.deep.equal(['devs', 'qa']);
    expect(result.user.uid).to.equal('');
    expect(result.user.extra).to.deep.equal({});
  });

  it('authenticates certificate without extended key usage', async () => {
    const bob = certs.noExtKeyUsage;
    const socket = await server.connect(bob.keyPem, [bob]);

    const result = await authenticateSocket(authenticator, socket);

    expect(result.kind).to.equal('authenticated');
    if (result.kind !== 'authenticated') return;
    expect(result.user.name).to.equal('bob');
    expect(result.user.groups).to.deep.equal([]);
  });

  it('accepts parsed CA certificates', async () => {
    const parsed = x509Authenticator({ clientCA: [new X509Certificate(root.certPem)] });
    const socket = await server.connect(jane.keyPem, [jane, intermediate]);

    const result = await authenticateSocket(parsed, socket);

    expect(result.kind).to.equal('authenticated');
  });

  const rejections: {
    name: string;
    cert: ClientCertificateName;
    withIntermediate?: boolean;
    expectProblem: (cert: Issued) => string;
  }[] = [
    {
      name: 'expired certificate',
      cert: 'expired',
      expectProblem: (cert) =>
        'x509: certificate has expired or is not yet valid: current time ' +
        `${goTime(new Date(BASE_MS))} is after ${goTime(cert.notAfter)}`,
    },
    {
      name: 'not yet valid certificate',
      cert: 'notYetValid',
      expectProblem: (cert) =>
        'x509: certificate has expired or is not yet valid: current time ' +
        `${goTime(new Date(BASE_MS))} is before ${goTime(cert.notBefore)}`,
    },
    {
      name: 'serverAuth-only certificate',
      cert: 'serverOnly',
      expectProblem: () => 'x509: certificate specifies an incompatible key usage',
    },
    {
      name: 'certificate from other CA',
      cert: 'otherCA',
      expectProblem: () => 'x509: certificate signed by unknown authority',
    },
    {
      name: 'certificate from impostor CA with same name',
      cert: 'impostor',
      expectProblem: () => 'x509: certificate signed by unknown authority',
    },
    {
      name: 'certificate under expired intermediate',
      cert: 'underExpiredIntermediate',
      withIntermediate: true,
      expectProblem: () =>
        'x509: certificate has expired or is not yet valid: current time ' +
        `${goTime(new Date(BASE_MS))} is after ${goTime(expiredIntermediate.notAfter)}`,
    },
  ];
  for (const tc of rejections) {
    it(`rejects ${tc.name}`, async () => {
      const cert = certs[tc.cert];
      const chain = tc.withIntermediate === true ? [cert, expiredIntermediate] : [cert];
      const socket = await server.connect(cert.keyPem, chain);

      const result = await authenticateSocket(authenticator, socket);

      expect(result).to.deep.equal({
        kind: 'rejected',
        reason: `verifying certificate SN=${cert.serial} failed: ${tc.expectProblem(cert)}`,
      });
    });
  }

  it('rejects chain missing intermediate', async () => {
    const socket = await server.connect(jane.keyPem, [jane]);

    const result = await authenticateSocket(authenticator, socket);

    expect(result).to.deep.equal({
      kind: 'rejected',
      reason: `verifying certificate SN=${jane.serial} failed: x509: certificate signed by unknown authority`,
    });
  });

  const notApplicable: { name: string; cert?: ClientCertificateName }[] = [
    { name: 'connection without client certificate' },
    { name: 'certificate without common name', cert: 'noCommonName' },
  ];
  for (const tc of notApplicable) {
    it(`ignores ${tc.name}`, async () => {
      const cert = tc.cert === undefined ? undefined : certs[tc.cert];
      const socket = await server.connect(cert?.keyPem, cert === undefined ? [] : [cert]);

      const result = await authenticateSocket(authenticator, socket);

      expect(result.kind).to.equal('notApplicable');
    });
  }

  it('ignores plain HTTP request', async () => {
    const result = await authenticateSocket(authenticator, undefined);

    expect(result.kind).to.equal('notApplicable');
  });

  it('verifies each connection once', async () => {
    const socket = await server.connect(jane.keyPem, [jane, intermediate]);
    const reads = countPeerCertificateReads(socket);

    const first = await authenticateSocket(authenticator, socket);
    const second = await authenticateSocket(authenticator, socket);
    const third = await authenticateSocket(authenticator, socket);

    expect(first.kind).to.equal('authenticated');
    expect(second.kind).to.equal('authenticated');
    expect(third.kind).to.equal('authenticated');
    expect(reads.count).to.equal(1);
  });

  it('verifies new connection again', async () => {
    const firstSocket = await server.connect(jane.keyPem, [jane, intermediate]);
    const secondSocket = await server.connect(jane.keyPem, [jane, intermediate]);
    const firstReads = countPeerCertificateReads(firstSocket);
    const secondReads = countPeerCertificateReads(secondSocket);

    await authenticateSocket(authenticator, firstSocket);
    await authenticateSocket(authenticator, secondSocket);
    await authenticateSocket(authenticator, secondSocket);

    expect(firstReads.count).to.equal(1);
    expect(secondReads.count).to.equal(1);
  });

  it('caches rejection per connection', async () => {
    const cert = certs.otherCA;
    const socket = await server.connect(cert.keyPem, [cert]);
    const reads = countPeerCertificateReads(socket);

    const first = await authenticateSocket(authenticator, socket);
    const second = await authenticateSocket(authenticator, socket);

    expect(first.kind).to.equal('rejected');
    expect(second).to.deep.equal(first);
    expect(reads.count).to.equal(1);
  });

  it('rejects certificate expiring during connection', async () => {
    const socket = await server.connect(jane.keyPem, [jane, intermediate]);
    const reads = countPeerCertificateReads(socket);

    const before = await authenticateSocket(authenticator, socket);
    nowMs = jane.notAfter.getTime() + 1000;
    const after = await authenticateSocket(authenticator, socket);

    expect(before.kind).to.equal('authenticated');
    expect(after).to.deep.equal({
      kind: 'rejected',
      reason:
        `verifying certificate SN=${jane.serial} failed: x509: certificate has expired or is ` +
        `not yet valid: current time ${goTime(new Date(nowMs))} is after ${goTime(jane.notAfter)}`,
    });
    expect(reads.count).to.equal(1);
  });

  it('accepts renewed CA next to expired one', async () => {
    // A renewed CA keeps the name and key of the old one, so both verify the same leaf.
    const oldCA = issue({
      serial: '07',
      cn: 'rotating CA',
      ca: true,
      notBeforeMs: BASE_MS - 10 * DAY_MS,
      notAfterMs: BASE_MS - DAY_MS,
    });
    const renewedCA = issue({ serial: '08', cn: 'rotating CA', ca: true, keyOf: oldCA });
    const leaf = issue({ serial: '1010', cn: 'dave', extKeyUsage: 'clientAuth', issuer: oldCA });
    const clock = () => new Date(nowMs);
    const bothCAs = x509Authenticator({ clientCA: oldCA.certPem + renewedCA.certPem, now: clock });
    const oldCAOnly = x509Authenticator({ clientCA: oldCA.certPem, now: clock });
    const socket = await server.connect(leaf.keyPem, [leaf]);

    const withRenewal = await authenticateSocket(bothCAs, socket);
    const withoutRenewal = await authenticateSocket(oldCAOnly, socket);

    expect(withRenewal.kind).to.equal('authenticated');
    expect(withoutRenewal).to.deep.equal({
      kind: 'rejected',
      reason:
        `verifying certificate SN=${leaf.serial} failed: x509: certificate has expired or is ` +
        `not yet valid: current time ${goTime(new Date(BASE_MS))} is after ${goTime(oldCA.notAfter)}`,
    });
  });

  it('rejects empty CA list', () => {
    expect(() => x509Authenticator({ clientCA: [] })).to.throw(
      TypeError,
      'x509Authenticator: clientCA must contain at least one CA certificate',
    );
  });

  it('rejects PEM without certificate', () => {
    expect(() => x509Authenticator({ clientCA: 'not a certificate' })).to.throw(
      Error,
      'x509Authenticator: clientCA: no PEM certificate found',
    );
  });
});

describe('loadClientCA', () => {
  let directory: string;
  let root: Issued;

  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'client-ca-'));
    root = issue({ serial: '01', cn: 'test root CA', ca: true });
  });

  after(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('reads every certificate of bundle', async () => {
    const other = issue({ serial: '02', cn: 'other root CA', ca: true });
    const path = join(directory, 'bundle.pem');
    await writeFile(path, `${root.certPem}\n${root.keyPem}${other.certPem}`);

    const certificates = await loadClientCA(path);

    expect(certificates.map((c) => c.subject)).to.deep.equal([
      'CN=test root CA',
      'CN=other root CA',
    ]);
  });

  const invalid: { name: string; file: string; content?: string; expectMessage: RegExp }[] = [
    {
      name: 'missing file',
      file: 'missing.pem',
      expectMessage: /^--client-ca-file: .*missing\.pem: unable to read the file \(ENOENT/,
    },
    {
      name: 'file without certificate',
      file: 'empty.pem',
      content: 'no certificates here\n',
      expectMessage:
        /^--client-ca-file: .*empty\.pem: no PEM certificate found; the file must contain at least one "-----BEGIN CERTIFICATE-----" block$/,
    },
    {
      name: 'corrupt certificate',
      file: 'corrupt.pem',
      content: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
      expectMessage:
        /^--client-ca-file: .*corrupt\.pem: certificate 1 is not a valid X\.509 certificate \(.*\); replace it/,
    },
  ];
  for (const tc of invalid) {
    it(`rejects ${tc.name}`, async () => {
      const path = join(directory, tc.file);
      if (tc.content !== undefined) await writeFile(path, tc.content);

      let message = '';
      try {
        await loadClientCA(path);
        expect.fail('expected loadClientCA to throw');
      } catch (error) {
        message = (error as Error).message;
      }

      expect(message).to.match(tc.expectMessage);
    });
  }
});
