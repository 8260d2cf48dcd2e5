import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Vigil's settings from the environment, read in one place. Defaults in code, then
 * the environment; commands take explicit options on top.
 */

/** Where Vigil keeps its databases: VIGIL_DATA_DIR, else /var/lib/vigil for root, else ~/.local/share/vigil. */
export function dataDir(): string {
  if (process.env.VIGIL_DATA_DIR) return path.resolve(process.env.VIGIL_DATA_DIR);
  if (process.getuid?.() === 0) return '/var/lib/vigil';
  return path.join(process.env.XDG_DATA_HOME ?? path.join(homedir(), '.local/share'), 'vigil');
}

/** The advisory database file inside a data directory. */
export function advisoryDbFile(dir = dataDir()): string {
  return path.join(dir, 'advisories.db');
}

/** The offline advisory snapshot shipped with Vigil (data/feeds beside the build). */
export function bundledFeedsDir(): string {
  return fileURLToPath(new URL('../../data/feeds', import.meta.url));
}

export function envLogLevel(): string | undefined {
  return process.env.VIGIL_LOG_LEVEL;
}
