import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { VigilError } from '../common/errors.js';
import type { Inventory } from '../common/model.js';

export interface CollectRequest {
  root: string;
  appRoots: string[];
  skipDirs?: string[];
  includeCaches?: boolean;
  noLive: boolean;
  /** Only these collectors (by name); all when absent. */
  collectors?: string[];
}

export type CollectReply =
  | { ok: true; inventory: Inventory; databases: Array<{ name: string; databases: string[] }> }
  | { ok: false; error: string };

/**
 * Runs one scan in a child process (collect-worker.ts, fixed argv, structured
 * clone over IPC) and returns its inventory. The child's memory is the operating
 * system's again as soon as it exits, which a worker thread's is not.
 */
export function collectInWorker(req: CollectRequest, timeoutMs = 30 * 60_000): Promise<Extract<CollectReply, { ok: true }>> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./collect-worker.js', import.meta.url)), [], {
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      execArgv: [],
    });
    let reply: CollectReply | undefined;
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('message', (r: CollectReply) => (reply = r));
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new VigilError('INTERNAL', `cannot start the collector process: ${err.message}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (reply?.ok) resolve(reply);
      else if (reply) reject(new VigilError('IO', `collection failed: ${reply.error}`));
      else reject(new VigilError('INTERNAL', `collector process ended (${signal ?? `code ${code}`}) without a result`));
    });
    child.send(req);
  });
}
