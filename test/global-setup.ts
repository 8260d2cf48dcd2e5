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

/** Every file under `dir`, relative to it. */
function listFiles(dir: string, rel = ''): string[] {
  return readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(dir, path.join(rel, e.name)) : [path.join(rel, e.name)]));
}

/**
 * Before any test file starts: the check for mounts a killed run left in the test
 * cache (unmounted under the fixture lock, or the suite refuses to start), then one
 * build of the `vigil` the CLI tests run and of the web console its server serves.
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
    // The web console (console/, Vite) into dist/console/, which the server serves at /console/.
    execFileSync(process.execPath, [path.join(repo, 'node_modules/vite/bin/vite.js'), 'build', '--config', path.join(repo, 'console/vite.config.mjs'), '--outDir', path.join(out, 'console'), '--emptyOutDir'], {
      stdio: 'inherit',
      cwd: repo,
    });
    const built = new Set(listFiles(path.join(out, 'console')));
    publish(out, path.join(repo, 'dist'));
    // Assets of earlier console builds (their names carry a content hash) go.
    for (const f of listFiles(path.join(repo, 'dist/console'))) if (!built.has(f)) rmSync(path.join(repo, 'dist/console', f), { force: true });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
