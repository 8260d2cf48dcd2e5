import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spliceSection, trivyBench } from './trivy.js';

/**
 * `npm run bench:trivy`: only the side-by-side run against Trivy, its section of
 * BENCHMARKS.md replaced and the rest of the file kept (a whole `npm run bench`
 * takes a quarter of an hour).
 */
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

trivyBench(REPO)
  .then((r) => {
    spliceSection(path.join(REPO, 'BENCHMARKS.md'), r.lines);
    process.stdout.write(r.lines.join('\n'));
  })
  .catch((err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
