import { expect } from 'chai';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  keyIDFromPublicKey,
  loadServiceAccountKeys,
  loadServiceAccountSigningKey,
} from '../../../../pkg/serviceaccount/keys.js';

/** Calls `run` and returns the error it rejects with. Fails the test when it resolves. */
async function expectRejection(run: () => Promise<unknown>): Promise<Error> {
  try {
    await run();
  } catch (err) {
    return err as Error;
  }
  return expect.fail('expected a rejection');
}

describe('service account keys', () => {
  let dir: string;
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const ec384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  const ec521 = generateKeyPairSync('ec', { namedCurve: 'P-521' });

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sa-keys-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function write(name: string, text: string): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  }

  it('key ID hashes the DER public key', () => {
    const der = rsa.publicKey.export({ type: 'spki', format: 'der' });
    const expected = createHash('sha256').update(der).digest('base64url');
    expect(keyIDFromPublicKey(rsa.publicKey)).to.equal(expected);
  });

  const formats = [
    {
      name: 'PKCS #1 RSA private key',
      pem: () => rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string,
      expectAlgorithm: 'RS256',
    },
    {
      name: 'SPKI RSA public key',
      pem: () => rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string,
      expectAlgorithm: 'RS256',
    },
    {
      name: 'PKCS #1 RSA public key',
      pem: () => rsa.publicKey.export({ type: 'pkcs1', format: 'pem' }) as string,
      expectAlgorithm: 'RS256',
    },
    {
      name: 'SEC 1 P-256 private key',
      pem: () => ec256.privateKey.export({ type: 'sec1', format: 'pem' }) as string,
      expectAlgorithm: 'ES256',
    },
    {
      name: 'PKCS #8 P-384 private key',
      pem: () => ec384.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
      expectAlgorithm: 'ES384',
    },
    {
      name: 'SPKI P-521 public key',
      pem: () => ec521.publicKey.export({ type: 'spki', format: 'pem' }) as string,
      expectAlgorithm: 'ES512',
    },
  ];
  for (const tc of formats) {
    it(`loads ${tc.name}`, async () => {
      const path = await write(`${tc.name.replace(/\W+/g, '-')}.pem`, tc.pem());
      const keys = await loadServiceAccountKeys([path]);
      expect(keys).to.have.length(1);
      expect(keys[0]?.algorithm).to.equal(tc.expectAlgorithm);
    });
  }

  it('loads several keys from one file', async () => {
    const pem =
      (rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string) +
      (ec256.publicKey.export({ type: 'spki', format: 'pem' }) as string);
    const path = await write('both.pem', pem);
    const keys = await loadServiceAccountKeys([path]);
    expect(keys.map((key) => key.algorithm)).to.deep.equal(['RS256', 'ES256']);
    expect(keys[0]?.keyID).to.equal(keyIDFromPublicKey(rsa.publicKey));
    expect(keys[1]?.keyID).to.equal(keyIDFromPublicKey(ec256.publicKey));
  });

  it('private and public halves share a key ID', async () => {
    const privatePath = await write(
      'private.pem',
      rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    );
    const publicPath = await write(
      'public.pem',
      rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string,
    );
    const [fromPrivate] = await loadServiceAccountKeys([privatePath]);
    const [fromPublic] = await loadServiceAccountKeys([publicPath]);
    expect(fromPrivate?.keyID).to.equal(fromPublic?.keyID);
  });

  it('missing key file names the flag and path', async () => {
    const path = join(dir, 'absent.pem');
    const err = await expectRejection(() => loadServiceAccountKeys([path]));
    expect(err.message).to.match(
      new RegExp(`^--service-account-key-file: ${path}: unable to read the file: ENOENT`),
    );
  });

  it('file without keys is rejected', async () => {
    const path = await write('empty.pem', 'not a key\n');
    const err = await expectRejection(() => loadServiceAccountKeys([path]));
    expect(err.message).to.equal(
      `--service-account-key-file: ${path}: data does not contain any valid RSA or ECDSA public keys`,
    );
  });

  it('corrupt PEM block is rejected', async () => {
    const path = await write(
      'corrupt.pem',
      '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n',
    );
    const err = await expectRejection(() => loadServiceAccountKeys([path]));
    expect(err.message).to.match(
      new RegExp(`^--service-account-key-file: ${path}: invalid PUBLIC KEY block: `),
    );
  });

  it('signing key file needs a private key', async () => {
    const path = await write(
      'public-only.pem',
      rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string,
    );
    const err = await expectRejection(() => loadServiceAccountSigningKey(path));
    expect(err.message).to.equal(
      `--service-account-signing-key-file: ${path}: data does not contain a PEM encoded RSA or ECDSA private key`,
    );
  });

  it('signing key carries algorithm and key ID', async () => {
    const path = await write(
      'ec-signing.pem',
      ec384.privateKey.export({ type: 'sec1', format: 'pem' }) as string,
    );
    const key = await loadServiceAccountSigningKey(path);
    expect(key.algorithm).to.equal('ES384');
    expect(key.keyID).to.equal(keyIDFromPublicKey(ec384.publicKey));
  });
});
