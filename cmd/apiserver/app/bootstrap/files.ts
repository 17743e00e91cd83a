import { randomBytes } from 'node:crypto';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes `data` to `path` so that readers see either the old file or the complete new one.
 *
 * The data goes to a temporary file in the same directory, which is flushed to disk and then
 * renamed over `path`. A rename within one file system replaces the target in one step, so a
 * crash cannot leave a half-written key or token behind. The file gets `mode` (for example
 * `0o600`) whatever the umask is. Throws an Error with the file system error as `cause`.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  mode: number,
): Promise<void> {
  const tempPath = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    // 'wx' fails rather than follow a planted file or symlink at the temporary name.
    const handle = await open(tempPath, 'wx', mode);
    try {
      // open() applies the umask to `mode`, so set the mode again explicitly.
      await handle.chmod(mode);
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tempPath, path);
  } catch (err) {
    await unlink(tempPath).catch(() => undefined);
    throw new Error(`unable to write ${path}`, { cause: err });
  }
}

/**
 * Reads a UTF-8 text file, returning undefined when it does not exist.
 * Throws an Error with the file system error as `cause` for any other failure, such as EACCES.
 */
export async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if (isNotFound(err)) {
      return undefined;
    }
    throw new Error(`unable to read ${path}`, { cause: err });
  }
}

function isNotFound(err: unknown): boolean {
  return err instanceof Error && (err as NodeJS.ErrnoException).code === 'ENOENT';
}
