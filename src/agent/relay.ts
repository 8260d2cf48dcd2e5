import { mkdir, readFile, readdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { writeFileAtomic } from '../common/atomic-write.js';
import { describeError } from '../common/errors.js';
import { submitToExecutor } from '../common/executor-client.js';
import type { ExecutorResult } from '../common/executor-protocol.js';
import { signReport } from '../common/signed-report.js';
import type { AgentMsg } from '../common/wire/codec.js';
import type { AgentConfig } from './config.js';
import { loadAgentIdentity } from './identity.js';
import type { StateHead } from './local-state.js';

/** Command ids that may name a file: the server issues UUIDs. */
const SAFE_ID = /^[A-Za-z0-9-]{1,64}$/;
/** Reports kept on disk for commands the server may send again. */
const KEEP_REPORTS = 200;

export interface RelayDeps {
  cfg: AgentConfig;
  log: Logger;
  agentId: () => string;
  /** The state after the rescan: its seq and digest go into the report. */
  head: () => StateHead;
  /** A full collection committed as a delta. */
  refresh: (reason: string) => Promise<void>;
  /** Sends every pending delta the stream has not carried yet. */
  flush: () => void;
}

/**
 * Hands a signed command to the executor, which verifies it and runs it as root;
 * this process runs nothing. Then rescans, so the inventory the server holds
 * proves the result, and reports back (`reply`, on the stream the command came on)
 * signed with this host's key.
 */
export async function relayCommand(d: RelayDeps, signed: Uint8Array, reply: (msg: AgentMsg) => void): Promise<void> {
  const { cfg, log } = d;
  // The id is read unverified, only to label the report; the executor decides what is true.
  let commandId = '';
  try {
    const wire = JSON.parse(Buffer.from(signed).toString('utf8')) as { envelope?: { payload?: string } };
    commandId = String((JSON.parse(Buffer.from(wire.envelope?.payload ?? '', 'base64').toString('utf8')) as { commandId?: unknown }).commandId ?? '');
  } catch {
    // reported with an empty id; the server ignores reports it cannot place
  }
  // A command the server sends again (it restarted before the report reached it) is
  // answered with the report already made: the executor would refuse it as a replay.
  const saved = SAFE_ID.test(commandId) ? path.join(cfg.stateDir, 'reports', `${commandId}.json`) : undefined;
  if (saved) {
    const old = await readFile(saved).catch(() => undefined);
    if (old) {
      log.info({ command: commandId }, 'command already handled; sending its report again');
      reply({ kind: 'command-result', commandId, signedResult: old });
      return;
    }
  }
  let result: ExecutorResult;
  try {
    result = await submitToExecutor(cfg.executor.socket, Buffer.from(signed), cfg.executor.timeoutSeconds * 1000);
  } catch (err) {
    result = { outcome: 'failed', reason: 'executor-unavailable', detail: describeError(err), before: [], after: [], verified: false };
  }
  log.info({ command: commandId, outcome: result.outcome, reason: result.reason, verified: result.verified }, 'command handled by the executor');
  if (result.outcome !== 'refused') await d.refresh('command');
  d.flush();
  const id = loadAgentIdentity(cfg.stateDir);
  if (!id || !commandId) return;
  const head = d.head();
  const report = signReport({ ...result, agentId: d.agentId(), inventorySeq: head.seq, inventoryDigest: head.digest }, id.keyPem);
  if (saved && result.outcome !== 'refused') await saveReport(saved, report);
  reply({ kind: 'command-result', commandId, signedResult: report });
}

/** Keeps a report on disk (temp + rename) so a resent command gets the same answer; the newest 200 stay. */
async function saveReport(file: string, report: Buffer): Promise<void> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFileAtomic(file, report, { mode: 0o600, regularOnly: true });
  const names = (await readdir(dir)).filter((n) => n.endsWith('.json'));
  if (names.length > KEEP_REPORTS) {
    const aged = await Promise.all(names.map(async (n) => ({ n, t: (await stat(path.join(dir, n))).mtimeMs })));
    aged.sort((a, b) => a.t - b.t);
    for (const { n } of aged.slice(0, names.length - KEEP_REPORTS)) await unlink(path.join(dir, n)).catch(() => undefined);
  }
}
