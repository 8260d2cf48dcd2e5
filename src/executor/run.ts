import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

/** The only environment the package manager gets; nothing of the executor's is inherited. */
export const RUN_ENV: Readonly<Record<string, string>> = Object.freeze({
  PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
  LC_ALL: 'C',
  DEBIAN_FRONTEND: 'noninteractive',
});

/** Combined stdout and stderr kept from a run: its last bytes. */
export const OUTPUT_TAIL_BYTES = 64 * 1024;
/** After the main process exits, how long a child still holding its pipes may keep them. */
const DRAIN_MS = 2_000;

export type SpawnFn = (command: string, args: readonly string[], options: SpawnOptions) => ChildProcess;

export { managerSteps, type Step } from '../common/manager-steps.js';
import type { Step } from '../common/manager-steps.js';

/** Keeps the last `max` bytes written to it. */
class Tail {
  private chunks: Buffer[] = [];
  private size = 0;
  constructor(private readonly max: number) {}
  push(b: Buffer): void {
    this.chunks.push(b);
    this.size += b.length;
    if (this.size > 2 * this.max) this.compact();
  }
  private compact(): void {
    const all = Buffer.concat(this.chunks);
    const keep = all.subarray(Math.max(0, all.length - this.max));
    this.chunks = [Buffer.from(keep)];
    this.size = keep.length;
  }
  text(): string {
    this.compact();
    return this.chunks[0]?.toString('utf8') ?? '';
  }
}

export interface StepResult {
  argv: string[];
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** Set when the program could not be started at all. */
  error?: string;
}

export interface RunResult {
  ok: boolean;
  /** Why not ok: the required step's exit status, a timeout, or a spawn failure. */
  failure?: 'exit-status' | 'timeout' | 'spawn-failed';
  exitCode: number | null;
  steps: StepResult[];
  outputTail: string;
}

function runStep(step: Step, deadline: number, tail: Tail, spawnFn: SpawnFn): Promise<StepResult> {
  return new Promise((resolve) => {
    const [cmd, ...args] = step.argv;
    tail.push(Buffer.from(`$ ${step.argv.join(' ')}\n`));
    let child: ChildProcess;
    try {
      // detached: its own process group, so a timeout kills apt, dpkg and every maintainer script.
      child = spawnFn(cmd!, args, { shell: false, env: { ...RUN_ENV }, cwd: '/', detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      resolve({ argv: step.argv, exitCode: null, signal: null, timedOut: false, error: (err as Error).message });
      return;
    }
    let timedOut = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let drain: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* the group is already gone */
      }
    }, Math.max(0, deadline - Date.now()));
    let done = false;
    const finish = (r: StepResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearTimeout(drain);
      child.stdout?.destroy();
      child.stderr?.destroy();
      resolve(r);
    };
    child.stdout?.on('data', (b: Buffer) => tail.push(b));
    child.stderr?.on('data', (b: Buffer) => tail.push(b));
    child.on('error', (err) => finish({ argv: step.argv, exitCode: null, signal: null, timedOut, error: err.message }));
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      drain = setTimeout(() => finish({ argv: step.argv, exitCode: code, signal, timedOut }), DRAIN_MS);
    });
    child.on('close', (code: number | null, signal: NodeJS.Signals | null) => finish({ argv: step.argv, exitCode: exit?.code ?? code, signal: exit?.signal ?? signal, timedOut }));
  });
}

/**
 * Runs the steps in order, never through a shell, within one deadline for all of
 * them. A failed optional step is recorded and the next runs; the run is ok when
 * every required step exits 0.
 */
export async function runSteps(steps: readonly Step[], opts: { timeoutMs: number; spawnFn?: SpawnFn }): Promise<RunResult> {
  const spawnFn = opts.spawnFn ?? ((c, a, o) => spawn(c, a, o));
  const deadline = Date.now() + opts.timeoutMs;
  const tail = new Tail(OUTPUT_TAIL_BYTES);
  const results: StepResult[] = [];
  let failure: RunResult['failure'];
  let exitCode: number | null = null;
  for (const step of steps) {
    const r = await runStep(step, deadline, tail, spawnFn);
    results.push(r);
    if (r.error !== undefined) tail.push(Buffer.from(`vigil-executor: cannot run ${step.argv[0]}: ${r.error}\n`));
    else if (r.timedOut) tail.push(Buffer.from(`vigil-executor: ${step.argv.join(' ')} killed after the ${Math.round(opts.timeoutMs / 1000)} s limit\n`));
    else if (r.exitCode !== 0) tail.push(Buffer.from(`vigil-executor: exit status ${r.exitCode ?? r.signal}\n`));
    if (step.required) exitCode = r.exitCode;
    if (r.timedOut) {
      failure = 'timeout';
      break;
    }
    if (!step.required) continue;
    if (r.error !== undefined) failure = 'spawn-failed';
    else if (r.exitCode !== 0) failure = 'exit-status';
    if (failure) break;
  }
  const out: RunResult = { ok: failure === undefined, exitCode, steps: results, outputTail: tail.text() };
  if (failure) out.failure = failure;
  return out;
}
