import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The CLI tests run the built `vigil`; build once before any test file starts. */
export default function setup(): void {
  if (process.env.VIGIL_SKIP_BUILD === '1') return;
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  execFileSync(process.execPath, [path.join(repo, 'node_modules/typescript/bin/tsc'), '-p', path.join(repo, 'tsconfig.build.json')], {
    stdio: 'inherit',
    cwd: repo,
  });
}
