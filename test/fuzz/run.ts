/**
 * `npm run fuzz -- TARGET|all [--time S] [--seed N]`: time-bounded fuzzing of the
 * targets in test/fuzz/targets.ts with fast-check (Jazzer.js does not run here: see
 * the README's Fuzzing section). Each target runs in its own child process under a
 * heap limit, for S seconds (default 60) from a seed printed at the start (random
 * unless given). The child writes every input to a scratch file before the call, so
 * that a call that never returns (a hang, stopped by the parent after 10 s without
 * progress) or a child that dies (out of memory) still leaves its input.
 *
 * A failing input, shrunk by fast-check, is written to test/fixtures/fuzz/<target>/
 * with a .md naming what went wrong; those are replayed by test/fuzz/crashes.test.ts.
 * An input whose outcome is new (a rejection message not seen before, digits
 * ignored) is kept in test/fixtures/fuzz-corpus/<target>/ (at most 12 files of at
 * most 8 KB, 12 KB in all, per target) and seeds later runs. `--jobs N` runs N
 * targets at once (default 1).
 */
import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { ftruncateSync, mkdirSync, openSync, readFileSync, readdirSync, statSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { apply, caseOf } from './mutate.js';
import { check, CORPUS_DIR, CRASH_DIR, scratch, seedsOf, target, TARGETS, type FuzzTarget } from './targets.js';

const STALL_MS = 10_000;
const HEAP_MB = 1024;
const CORPUS_MAX_FILES = 12;
const CORPUS_MAX_BYTES = 8 * 1024;
/** All the files one target keeps, so that the corpus stays a few hundred KB. */
const CORPUS_BUDGET_BYTES = 12 * 1024;

interface ChildReport {
  target: string;
  runs: number;
  crashes: string[];
  kept: number;
  cpuSeconds: number;
  maxRssMb: number;
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex').slice(0, 16);

function saveCrash(name: string, input: Buffer, why: string, seed: number): string {
  const dir = path.join(CRASH_DIR, name);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `crash-${sha(input)}.bin`);
  writeFileSync(file, input);
  writeFileSync(`${file}.md`, `Found by \`npm run fuzz -- ${name}\` (seed ${seed}).\n\n${why.split('\n').slice(0, 6).join('\n')}\n`);
  return file;
}

/** What an outcome says (its rejection or its problems), numbers and quoted values left out: a new one keeps the input. */
function shapeOf(o: { rejected?: string; problems?: string[] }): string {
  const plain = (m: string) => m.replace(/"[^"]*"|'[^']*'|`[^`]*`/g, 'Q').replace(/\d+/g, 'N').slice(0, 200);
  if (o.rejected !== undefined) return `rejected: ${plain(o.rejected)}`;
  return o.problems ? `problems: ${[...new Set(o.problems.map(plain))].sort().join(' | ')}` : 'result';
}

async function child(name: string, seconds: number, seed: number): Promise<void> {
  const t = target(name);
  const seeds = await seedsOf(t);
  const current = path.join(scratch(), `current-${name}.bin`);
  const fd = openSync(current, 'w');
  process.send!({ current });
  const corpusDir = path.join(CORPUS_DIR, name);
  const seen = new Set<string>();
  for (const s of seeds) {
    const o = await check(t, s);
    if (o.ok) seen.add(shapeOf(o));
  }
  let kept = existing(corpusDir).length;
  let keptBytes = corpusSize(name).bytes;
  let runs = 0;
  const crashes: string[] = [];
  const deadline = Date.now() + seconds * 1000;
  let round = seed;
  // The property's awaits are microtasks: the loop yields to the event loop now and
  // then so that progress reaches the parent's watchdog.
  let lastYield = Date.now();
  while (Date.now() < deadline) {
    let failing: Buffer | undefined;
    let why = '';
    const result = await fc.check(
      fc.asyncProperty(caseOf(seeds.length), async (c) => {
        const input = apply(seeds, c);
        if (Date.now() - lastYield > 250) {
          process.send!({ runs });
          await new Promise((r) => setImmediate(r));
          lastYield = Date.now();
        }
        ftruncateSync(fd, 0);
        writeSync(fd, input, 0, input.length, 0);
        runs++;
        const o = await check(t, input);
        if (!o.ok) {
          failing = input;
          why = o.why;
          return false;
        }
        const shape = shapeOf(o);
        if (!seen.has(shape)) {
          seen.add(shape);
          if (kept < CORPUS_MAX_FILES && input.length <= CORPUS_MAX_BYTES && keptBytes + input.length <= CORPUS_BUDGET_BYTES) {
            mkdirSync(corpusDir, { recursive: true });
            writeFileSync(path.join(corpusDir, sha(input)), input);
            kept++;
            keptBytes += input.length;
          }
        }
        return true;
      }),
      { seed: round, numRuns: Number.MAX_SAFE_INTEGER, interruptAfterTimeLimit: Math.max(1, deadline - Date.now()), markInterruptAsFailure: false },
    );
    if (result.failed && failing) {
      // fast-check ran the shrunk counterexample last, so `failing` is the smallest input it found.
      crashes.push(saveCrash(name, failing, why, round));
    }
    round = (round * 1103515245 + 12345) >>> 0;
  }
  const cpu = process.cpuUsage();
  const report: ChildReport = { target: name, runs, crashes, kept: existing(corpusDir).length, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssMb: process.resourceUsage().maxRSS / 1024 };
  process.send!({ report });
  process.exit(0);
}

function existing(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function runTarget(t: FuzzTarget, seconds: number, seed: number): Promise<ChildReport> {
  return new Promise((resolve) => {
    const c = fork(process.argv[1]!, ['--child', t.name, String(seconds), String(seed)], { execArgv: [`--max-old-space-size=${HEAP_MB}`], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let current = '';
    let last = Date.now();
    let runs = 0;
    let report: ChildReport | undefined;
    const lost = (why: string): ChildReport => {
      let input = Buffer.alloc(0);
      try {
        input = readFileSync(current);
      } catch {
        // nothing written yet
      }
      return { target: t.name, runs, crashes: [saveCrash(t.name, input, why, seed)], kept: existing(path.join(CORPUS_DIR, t.name)).length, cpuSeconds: Number.NaN, maxRssMb: Number.NaN };
    };
    const watchdog = setInterval(() => {
      if (Date.now() - last > STALL_MS) {
        report = lost(`no progress for ${STALL_MS / 1000} s: the call hangs`);
        c.kill('SIGKILL');
      }
    }, 1000);
    c.on('message', (m: { current?: string; runs?: number; report?: ChildReport }) => {
      if (m.current) current = m.current;
      if (m.runs !== undefined && m.runs !== runs) {
        runs = m.runs;
        last = Date.now();
      }
      if (m.report) report = m.report;
    });
    c.on('exit', (code, signal) => {
      clearInterval(watchdog);
      resolve(report ?? lost(`the fuzzing process died (exit ${code}, signal ${signal}), heap limit ${HEAP_MB} MB`));
    });
  });
}

function corpusSize(name: string): { files: number; bytes: number } {
  const dir = path.join(CORPUS_DIR, name);
  const names = existing(dir);
  return { files: names.length, bytes: names.reduce((n, f) => n + statSync(path.join(dir, f)).size, 0) };
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === '--child') return child(argv[1]!, Number(argv[2]), Number(argv[3]));
  const which = argv.find((a, i) => !a.startsWith('--') && !argv[i - 1]?.startsWith('--'));
  const opt = (k: string) => {
    const i = argv.indexOf(k);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const seconds = Number(opt('--time') ?? 60);
  const seed = opt('--seed') !== undefined ? Number(opt('--seed')) : Math.floor(Math.random() * 2 ** 31);
  if (!which || !Number.isFinite(seconds) || seconds <= 0 || !Number.isSafeInteger(seed)) {
    console.error(`usage: npm run fuzz -- TARGET|all [--time SECONDS] [--seed N]; targets: ${TARGETS.map((t) => t.name).join(', ')}`);
    process.exit(2);
  }
  const list = which === 'all' ? TARGETS : [target(which)];
  console.log(`fuzzing ${list.length} target(s) for ${seconds} s each, seed ${seed}`);
  const jobs = Math.max(1, Number(opt('--jobs') ?? 1));
  const rows = new Map<string, string>();
  let failed = 0;
  const queue = [...list];
  const worker = async () => {
    for (let t = queue.shift(); t; t = queue.shift()) {
      const r = await runTarget(t, seconds, seed);
      const c = corpusSize(t.name);
      failed += r.crashes.length;
      const row = `| ${t.name} | ${(r.cpuSeconds / 60).toFixed(2)} | ${r.runs} | ${r.crashes.length} | ${c.files} (${(c.bytes / 1024).toFixed(1)} KB) | ${r.maxRssMb.toFixed(0)} |`;
      rows.set(t.name, row);
      console.log(row);
      for (const f of r.crashes) console.log(`  failing input: ${path.relative(process.cwd(), f)}`);
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  console.log(['', '| target | CPU-minutes | runs | failures | corpus | peak RSS MB |', '| --- | --- | --- | --- | --- | --- |', ...list.map((t) => rows.get(t.name)!)].join('\n'));
  process.exit(failed > 0 ? 1 : 0);
}

await main(process.argv.slice(2));
