import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { consoleRenderBench, consoleRenderSection } from './console-render.js';
import { spliceSection } from './trivy.js';

/**
 * `node --expose-gc dist/bench/console-render-only.js` (`npm run bench:console`): only
 * the web console's section of BENCHMARKS.md, replaced in place (or put before the
 * signed commands' section the first time), the rest of the file kept.
 */
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BEFORE = '## Signed commands and patch jobs';

consoleRenderBench(REPO)
  .then((r) => {
    const lines = consoleRenderSection(r);
    spliceSection(path.join(REPO, 'BENCHMARKS.md'), lines, BEFORE);
    process.stdout.write(lines.join('\n'));
  })
  .catch((err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
