import { readFile } from 'node:fs/promises';

/**
 * Reads a file named by a flag as UTF-8.
 * @throws Error beginning with the flag and path, which names the cause and the fix.
 */
export async function readFlagFile(flag: string, path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `${flag}: ${path}: unable to read the file (${reason}); check the path and its permissions`,
      { cause: error },
    );
  }
}
