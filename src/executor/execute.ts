import type { Logger } from 'pino';
import type { ExecutorResult, PackageVersion } from '../common/executor-protocol.js';
import type { CommandPayload } from '../common/signing.js';
import type { ExecutorConfig } from './config.js';
import type { Ledger } from './ledger.js';
import { managerSteps, runSteps, type SpawnFn } from './run.js';
import { Refusal, verifyRequest, type ExecutorRefusalReason } from './verify.js';
import { allFixed, installedVersions } from './versions.js';

export interface ExecuteDeps {
  config: ExecutorConfig;
  ledger: Ledger;
  log: Logger;
  now: () => Date;
  spawnFn?: SpawnFn;
}

function ids(c: CommandPayload | undefined): Pick<ExecutorResult, 'commandId' | 'jobId' | 'hostId'> {
  return c ? { commandId: c.commandId, jobId: c.jobId, hostId: c.hostId } : {};
}

export function refusedResult(reason: ExecutorRefusalReason, detail: string, command?: CommandPayload): ExecutorResult {
  return { ...ids(command), outcome: 'refused', reason, detail, before: [], after: [], verified: false };
}

/** Logs a refusal and makes its result: every refusal is logged with its reason. */
export function refuse(log: Logger, r: Refusal): ExecutorResult {
  log.warn({ reason: r.reason, command: r.command?.commandId, job: r.command?.jobId }, `command refused (${r.reason}): ${r.detail}`);
  return refusedResult(r.reason, r.detail, r.command);
}

async function versionsOrNone(deps: ExecuteDeps, c: CommandPayload): Promise<PackageVersion[]> {
  const names = c.packages.map((p) => p.name);
  try {
    return await installedVersions(c.manager, deps.config.root, names, deps.log);
  } catch (err) {
    deps.log.error({ err, command: c.commandId }, 'cannot read the installed versions');
    return names.map((name) => ({ name }));
  }
}

/**
 * One request, start to end: verify it, record its id, read the versions, run the
 * package manager, read the versions again. Never throws: every way it ends is an
 * ExecutorResult.
 */
export async function execute(body: Buffer, deps: ExecuteDeps): Promise<ExecutorResult> {
  const { log } = deps;
  let c: CommandPayload;
  let serial: number;
  try {
    const v = verifyRequest(body, deps.config, deps.ledger, deps.now());
    c = v.command;
    serial = v.delegation.serial;
  } catch (err) {
    if (err instanceof Refusal) return refuse(log, err);
    log.error({ err }, 'verification failed unexpectedly');
    return refusedResult('internal-error', `verification failed: ${(err as Error).message}`);
  }

  // On disk before anything runs: after a crash, this command is a replay.
  try {
    deps.ledger.record(c.commandId);
    deps.ledger.noteSerial(serial);
  } catch (err) {
    log.error({ err, command: c.commandId }, 'cannot record the command in the ledger; not running it');
    return refusedResult('internal-error', `cannot record the command before running it: ${(err as Error).message}`, c);
  }
  const packages = c.packages.map((p) => `${p.name}>=${p.version}`);
  log.info({ command: c.commandId, job: c.jobId, action: c.action, manager: c.manager, packages, serial }, 'command accepted');

  const startedAt = deps.now().toISOString();
  const before = await versionsOrNone(deps, c);
  // rotate-keys carries the new delegation: accepting it raised the remembered serial,
  // so from now on this host refuses every older delegation (and the keys the new one
  // revokes) at once, not only when the old delegation expires.
  if (c.action === 'rotate-keys') {
    log.info({ command: c.commandId, serial }, 'delegation rotated');
    return { ...ids(c), outcome: 'completed', before: [], after: [], verified: true, startedAt, finishedAt: deps.now().toISOString() };
  }
  if (c.action === 'rescan') {
    log.info({ command: c.commandId }, 'rescan completed');
    return { ...ids(c), outcome: 'completed', before, after: before, verified: false, startedAt, finishedAt: deps.now().toISOString() };
  }

  const steps = managerSteps(c.manager, c.packages.map((p) => p.name), deps.config.root);
  for (const s of steps) log.info({ command: c.commandId, argv: s.argv }, 'running');
  const run = await runSteps(steps, { timeoutMs: deps.config.timeoutSeconds * 1000, spawnFn: deps.spawnFn });
  const after = await versionsOrNone(deps, c);
  const verified = allFixed(c.manager, c.packages, after);
  const result: ExecutorResult = {
    ...ids(c),
    outcome: run.ok ? 'completed' : 'failed',
    exitCode: run.exitCode,
    outputTail: run.outputTail,
    before,
    after,
    verified,
    startedAt,
    finishedAt: deps.now().toISOString(),
  };
  if (run.failure) {
    result.reason = run.failure;
    const last = run.steps[run.steps.length - 1];
    const program = last?.argv[0] === 'chroot' ? last.argv[2] : last?.argv[0];
    if (run.failure === 'timeout') result.detail = `${program} was killed after the ${deps.config.timeoutSeconds} s limit`;
    else if (last?.error !== undefined) result.detail = `${program} could not be started: ${last.error}`;
    else result.detail = `${program} exited with ${last?.exitCode ?? last?.signal}`;
  }
  for (const s of run.steps) log.info({ command: c.commandId, argv: s.argv, exit_code: s.exitCode, signal: s.signal, timed_out: s.timedOut, err: s.error }, 'step finished');
  log.info({ command: c.commandId, outcome: result.outcome, reason: result.reason, before, after, verified }, 'command finished');
  return result;
}
