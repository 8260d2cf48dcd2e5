import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fleetSim, type SimReport } from './fleet-sim/main.js';
import { removeTree } from './tree-copy.js';

/**
 * One server at fleet scale: a fresh `vigil server run` (started with node's
 * --cpu-prof) and the fleet simulator's agents against it; the report, and the
 * server's CPU profile summarised by self time per function.
 */

export interface ProfileEntry {
  fn: string;
  where: string;
  selfMs: number;
  share: number;
}

export interface ThreadProfile {
  file: string;
  totalMs: number;
  top: ProfileEntry[];
}

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }>;
  samples: number[];
  timeDeltas: number[];
}

/** Self time per function (name and location) from a .cpuprofile, the idle and GC pseudo-nodes kept as such. */
export function summariseProfile(file: string, topN = 12): ThreadProfile {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const n = byId.get(p.samples[i]!);
    const dt = (p.timeDeltas[i] ?? 0) / 1000;
    if (!n) continue;
    total += dt;
    const f = n.callFrame;
    const url = f.url.replace(/^file:\/\//, '').replace(/^.*\/(dist|node_modules)\//, '$1/');
    const key = `${f.functionName || '(anonymous)'}\t${url ? `${url}:${f.lineNumber + 1}` : ''}`;
    self.set(key, (self.get(key) ?? 0) + dt);
  }
  const top = [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, topN)
    .map(([k, ms]) => {
      const [fn, where] = k.split('\t');
      return { fn: fn!, where: where!, selfMs: Math.round(ms), share: total > 0 ? Math.round((ms / total) * 1000) / 10 : 0 };
    });
  return { file: path.basename(file), totalMs: Math.round(total), top };
}

export interface ScaleRun {
  agents: number;
  command: string;
  report?: SimReport;
  failure?: string;
  profiles: ThreadProfile[];
  machine: string;
}

export async function fleetScaleBench(agents: number, opts: { deltaRate?: number; durationS?: number; onlineTimeoutS?: number } = {}): Promise<ScaleRun> {
  const tmp = mkdtempSync(path.join(tmpdir(), 'vigil-bench-fleet-scale-'));
  const prof = path.join(tmp, 'prof');
  const deltaRate = opts.deltaRate ?? 50;
  const durationS = opts.durationS ?? 60;
  const onlineTimeoutS = opts.onlineTimeoutS ?? 900;
  const run: ScaleRun = {
    agents,
    command: `npm run fleet-sim -- --agents ${agents} --start-server DATA_DIR --server-cpu-prof DIR --delta-rate ${deltaRate} --duration ${durationS} --online-timeout ${onlineTimeoutS}`,
    profiles: [],
    machine: `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`,
  };
  try {
    run.report = await fleetSim({ agents, processes: cpus().length, deltaRate, durationS, seed: 1, onlineTimeoutS, enrollConcurrency: 8, probeEveryMs: 1000, startServer: path.join(tmp, 'server'), serverCpuProf: prof });
  } catch (err) {
    run.failure = err instanceof Error ? err.message : String(err);
  }
  try {
    for (const f of readdirSync(prof).filter((n) => n.endsWith('.cpuprofile'))) run.profiles.push(summariseProfile(path.join(prof, f)));
  } catch {
    /* no profile written: the server did not exit cleanly, which the section says */
  }
  removeTree(tmp);
  return run;
}

const s = (ms: number | null | undefined): string => (ms === null || ms === undefined ? 'n/a' : `${(ms / 1000).toFixed(2)} s`);
const ms = (v: number | null | undefined): string => (v === null || v === undefined ? 'n/a' : `${v.toFixed(1)} ms`);

/** The rows of one run, under its own heading within the section. */
export function scaleSubsection(run: ScaleRun): string[] {
  const out = [`### ${run.agents.toLocaleString('en-US')} agents`, '', `\`${run.command}\` (${run.machine}).`, ''];
  const r = run.report;
  if (!r) return [...out, `The run broke: ${run.failure}`, ''];
  out.push('| what | result |', '| --- | --- |');
  out.push(`| enrolment (real Enroll RPC, 8 at a time per process) | all ${r.enrolment.enrolled} in ${s(r.enrolment.totalMs)}; per agent p50 ${ms(r.enrolment.perAgentP50Ms)}, p99 ${ms(r.enrolment.perAgentP99Ms)}; ${r.enrolment.failed} failed |`);
  out.push(`| time to all online (every agent's snapshot acked, so its findings are on the server) | ${r.online.allOnlineMs === null ? `not reached: ${r.online.online} of ${r.agents} online` : s(r.online.allOnlineMs)}; per agent from its connect p50 ${ms(r.online.perAgentP50Ms)}, p99 ${ms(r.online.perAgentP99Ms)} |`);
  out.push(`| deltas (asked ${r.deltas.rateAsked}/s fleet-wide, Poisson) | ${r.deltas.acked} of ${r.deltas.sent} acked, ${r.deltas.perSecond}/s sustained; round trip to the ack (applied and matched) p50 ${ms(r.deltas.rttP50Ms)}, p99 ${ms(r.deltas.rttP99Ms)} |`);
  out.push(`| delta → finding listed by the API (${r.deltaToFinding.samples} probes, zip 3.0-13 → CVE-2018-13410, API polled every 25 ms) | p50 ${ms(r.deltaToFinding.p50Ms)}, p99 ${ms(r.deltaToFinding.p99Ms)}; ${r.deltaToFinding.timeouts} not seen within 30 s |`);
  const sp = r.serverProcess;
  if (sp) out.push(`| server process (/proc, 100 % = one core) | RSS peak ${sp.rssMbPeak} MB, end ${sp.rssMbEnd} MB; CPU ${sp.cpuPercentEnrol} % while enrolling and connecting, ${sp.cpuPercentDeltas} % during deltas; open files peak ${sp.openFdsPeak} |`);
  if (r.database) out.push(`| fleet database | fleet.db ${(r.database.fleetDbBytes / 2 ** 20).toFixed(1)} MiB + fleet.db-wal ${(r.database.walBytes / 2 ** 20).toFixed(1)} MiB |`);
  out.push(`| reconnects, errors by code | ${r.reconnects}; ${Object.keys(r.errors).length ? Object.entries(r.errors).map(([c, n]) => `${c} ${n}`).join(', ') : 'none'} |`);
  out.push('');
  out.push(`What the profile shows (node --cpu-prof of the server, self time per function over the whole run, each thread its own profile):`, '');
  if (run.profiles.length === 0) out.push('- no profile was written (the server did not exit cleanly)');
  for (const p of [...run.profiles].sort((a, b) => b.totalMs - a.totalMs)) {
    out.push(`- ${p.file} (${s(p.totalMs)} sampled): ${p.top.slice(0, 8).map((e) => `${e.fn}${e.where ? ` (${e.where})` : ''} ${e.share} %`).join('; ')}`);
  }
  out.push('');
  return out;
}

export const SCALE_HEADING = '## Fleet scale: one server';

/** The section with this run's subsection replaced or added, the other runs' kept. */
export function scaleSection(existing: string[] | undefined, run: ScaleRun): string[] {
  const intro = [
    SCALE_HEADING,
    '',
    'The fleet simulator (`src/bench/fleet-sim/`) against one fresh `vigil server run` (SQLite) on this machine, over loopback:',
    'each simulated agent is enrolled through the real Enroll RPC with an enrolment token from `vigil token create`, holds a',
    'Debian 12 or Ubuntu 18.04 inventory read by the dpkg collector from the shipped fixtures (varied per host) and keeps one',
    'mutual-TLS Connect stream; agents run in one forked process per core. `npm run bench:fleet-scale` (VIGIL_FLEET_AGENTS, default 1,000).',
    '',
  ];
  const subs = new Map<number, string[]>();
  if (existing) {
    let cur: number | undefined;
    for (const l of existing) {
      const m = /^### ([\d,]+) agents$/.exec(l);
      if (m) subs.set((cur = Number(m[1]!.replace(/,/g, ''))), []);
      if (cur !== undefined) subs.get(cur)!.push(l);
    }
  }
  subs.set(run.agents, scaleSubsection(run));
  return [...intro, ...[...subs.entries()].sort((a, b) => a[0] - b[0]).flatMap(([, l]) => l)];
}
