import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';

import {
  readIfExists,
  writeFileAtomic,
} from '../../../../../../cmd/apiserver/app/bootstrap/files.js';

describe('bootstrap files', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bootstrap-files-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('writeFileAtomic', () => {
    const cases = [
      { name: 'secret mode', mode: 0o600, data: 'secret\n' },
      { name: 'public mode', mode: 0o644, data: 'public\n' },
      { name: 'binary data', mode: 0o600, data: new Uint8Array([0, 1, 2, 255]) },
    ];
    for (const tc of cases) {
      it(`writes with ${tc.name}`, async () => {
        const path = join(dir, 'file');
        await writeFileAtomic(path, tc.data, tc.mode);
        expect((await stat(path)).mode & 0o777).to.equal(tc.mode);
        expect(new Uint8Array(await readFile(path))).to.deep.equal(
          typeof tc.data === 'string' ? new Uint8Array(Buffer.from(tc.data)) : tc.data,
        );
      });
    }

    it('replaces a file and its mode', async () => {
      const path = join(dir, 'file');
      await writeFile(path, 'old', { mode: 0o644 });
      await writeFileAtomic(path, 'new', 0o600);
      expect(await readFile(path, 'utf8')).to.equal('new');
      expect((await stat(path)).mode & 0o777).to.equal(0o600);
    });

    it('leaves no temporary file', async () => {
      await writeFileAtomic(join(dir, 'file'), 'data', 0o600);
      expect(await readdir(dir)).to.deep.equal(['file']);
    });

    it('wraps failures with the path', async () => {
      const path = join(dir, 'missing-dir', 'file');
      let caught: unknown;
      try {
        await writeFileAtomic(path, 'data', 0o600);
      } catch (err) {
        caught = err;
      }
      expect(caught).to.be.instanceOf(Error);
      expect((caught as Error).message).to.equal(`unable to write ${path}`);
      expect(((caught as Error).cause as NodeJS.ErrnoException).code).to.equal('ENOENT');
    });
  });

  describe('readIfExists', () => {
    it('returns the text of a file', async () => {
      await writeFile(join(dir, 'file'), 'text');
      expect(await readIfExists(join(dir, 'file'))).to.equal('text');
    });

    it('returns undefined for a missing file', async () => {
      expect(await readIfExists(join(dir, 'missing'))).to.equal(undefined);
    });

    it('throws for a directory', async () => {
      let caught: unknown;
      try {
        await readIfExists(dir);
      } catch (err) {
        caught = err;
      }
      expect(caught).to.be.instanceOf(Error);
      expect((caught as Error).message).to.equal(`unable to read ${dir}`);
      expect(((caught as Error).cause as NodeJS.ErrnoException).code).to.equal('EISDIR');
    });
  });
});
