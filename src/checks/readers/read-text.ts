import { FileTooLargeError, listInRoot, readInRoot } from '../../inventory/rootfs.js';
import { MAX_CONFIG_BYTES } from '../fact-reader.js';

/** A config file inside the root, bounded: undefined when absent, an error over MAX_CONFIG_BYTES. */
export async function readConfig(root: string, rel: string): Promise<string | undefined> {
  try {
    return (await readInRoot(root, rel, { maxBytes: MAX_CONFIG_BYTES }))?.toString('utf8');
  } catch (err) {
    if (err instanceof FileTooLargeError) throw new Error(`${rel}: ${err.message}, not read`);
    throw new Error(`${rel}: ${(err as Error).message}`);
  }
}

/** Names in a directory inside the root matching a shell-style pattern of `*` and `?`. */
export async function globInRoot(root: string, pattern: string): Promise<string[]> {
  const slash = pattern.lastIndexOf('/');
  const dir = pattern.slice(0, slash) || '/';
  const base = pattern.slice(slash + 1);
  if (/[*?[]/.test(dir)) throw new Error(`${pattern}: a pattern in a directory name is not supported`);
  if (!/[*?[]/.test(base)) return [pattern];
  const re = new RegExp('^' + base.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]') + '$');
  const names = (await listInRoot(root, dir)) ?? [];
  return names.filter((n) => re.test(n) && !n.startsWith('.')).map((n) => `${dir === '/' ? '' : dir}/${n}`);
}
