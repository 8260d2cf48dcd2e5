import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCALE_HEADING, fleetScaleBench, scaleSection } from './fleet-scale.js';
import { spliceSection } from './trivy.js';

/**
 * `node dist/bench/fleet-scale-only.js`: the "Fleet scale: one server" section of
 * BENCHMARKS.md for VIGIL_FLEET_AGENTS agents (default 1,000), replaced in place
 * (the other agent counts' rows kept), the rest of the file kept.
 */
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BEFORE = '## Signed commands and patch jobs';
const agents = Number(process.env.VIGIL_FLEET_AGENTS ?? 1000);
const opts: Parameters<typeof fleetScaleBench>[1] = {};
if (process.env.VIGIL_FLEET_DURATION) opts.durationS = Number(process.env.VIGIL_FLEET_DURATION);
if (process.env.VIGIL_FLEET_DELTA_RATE) opts.deltaRate = Number(process.env.VIGIL_FLEET_DELTA_RATE);
if (process.env.VIGIL_FLEET_ONLINE_TIMEOUT) opts.onlineTimeoutS = Number(process.env.VIGIL_FLEET_ONLINE_TIMEOUT);

fleetScaleBench(agents, opts)
  .then((run) => {
    const file = path.join(REPO, 'BENCHMARKS.md');
    const lines = readFileSync(file, 'utf8').split('\n');
    const at = lines.indexOf(SCALE_HEADING);
    let existing: string[] | undefined;
    if (at >= 0) {
      const end = lines.findIndex((l, i) => i > at && l.startsWith('## '));
      existing = lines.slice(at, end < 0 ? lines.length : end);
    }
    const section = scaleSection(existing, run);
    spliceSection(file, section, BEFORE);
    process.stdout.write(`${section.join('\n')}\n`);
    process.stderr.write(`${JSON.stringify({ ...run, report: run.report && { ...run.report, agentIds: run.report.agentIds.length } })}\n`);
    if (!run.report) process.exitCode = 1;
  })
  .catch((err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
