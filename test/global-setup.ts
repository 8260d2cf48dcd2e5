import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Moves every file of `from` into `to`, one rename each, leaving identical files untouched. */
function publish(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const e of readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, e.name);
    const dest = path.join(to, e.name);
    if (e.isDirectory()) {
      publish(src, dest);
      continue;
    }
    let same = false;
    try {
      same = readFileSync(dest).equals(readFileSync(src));
    } catch {
      // not there yet
    }
    if (!same) renameSync(src, dest);
  }
}

/**
 * Before any test file starts: the check for mounts a killed run left in the test
 * cache (unmounted under the fixture lock, or the suite refuses to start), then one
 * build of the `vigil` the CLI tests run.
 *
 * The build is compiled beside dist/ and each file renamed into it, so another run
 * in the same checkout never executes a half-written module; files that did not
 * change are not touched.
 */
export default function setup(): void {
  execFileSync('bash', [path.join(repo, 'scripts/fixtures/debootstrap-rootfs.sh'), '--clear-stale'], { stdio: 'inherit' });
  if (process.env.VIGIL_SKIP_BUILD === '1') return;
  // Same depth as dist/, so the source maps' relative paths stay right after the move.
  const out = mkdtempSync(path.join(repo, '.dist-build-'));
  try {
    execFileSync(process.execPath, [path.join(repo, 'node_modules/typescript/bin/tsc'), '-p', path.join(repo, 'tsconfig.build.json'), '--outDir', out], {
      stdio: 'inherit',
      cwd: repo,
    });
    publish(out, path.join(repo, 'dist'));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
