import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiBench, apiSection } from './api.js';
import { spliceSection } from './trivy.js';

/**
 * `node --expose-gc dist/bench/api-only.js`: only the fleet API section of
 * BENCHMARKS.md, replaced in place (or put before the signed commands' section the
 * first time), the rest of the file kept.
 */
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BEFORE = '## Signed commands and patch jobs';

apiBench(REPO)
  .then((rows) => {
    const lines = apiSection(rows);
    spliceSection(path.join(REPO, 'BENCHMARKS.md'), lines, BEFORE);
    process.stdout.write(lines.join('\n'));
  })
  .catch((err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
