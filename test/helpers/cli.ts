import { execFile, execFileSync } from 'node:child_process';
import path from 'node:path';
import { rootfsFixture as benchRootfsFixture } from '../../src/bench/tree-copy.js';
import { REPO } from './fixtures.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the built `vigil` as a user would, with a fixed argv. */
export function vigil(args: string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(REPO, 'bin/vigil.js'), ...args],
      { env: { ...process.env, ...opts.env }, maxBuffer: 256 * 1024 * 1024, timeout: opts.timeoutMs ?? 120_000, ...(opts.cwd ? { cwd: opts.cwd } : {}) },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Installed packages as dpkg-query reports them: `name\tversion\tsource\tsourceVersion`, sorted. */
export function dpkgQueryInstalled(admindir?: string): string[] {
  const args = ['-W', '-f', '${db:Status-Status}\t${Package}\t${Version}\t${source:Package}\t${source:Version}\n'];
  if (admindir) args.unshift(`--admindir=${admindir}`);
  return execFileSync('dpkg-query', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    .split('\n')
    .filter((l) => l.startsWith('installed\t'))
    .map((l) => l.slice('installed\t'.length))
    .sort();
}

/** The cached debootstrap root: never modify it, copy it with copyTree (src/bench/tree-copy.ts). */
export function rootfsFixture(): string {
  return benchRootfsFixture(REPO);
}
