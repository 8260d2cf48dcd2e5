import { describeError } from '../common/errors.js';
import { componentLogger } from '../common/log.js';
import { COLLECTORS } from '../inventory/registry.js';
import { scan } from '../inventory/scan.js';
import type { CollectReply, CollectRequest } from './collect.js';

/**
 * One collection in a short-lived child process of the agent: the collectors'
 * code, their libraries and the garbage of a full scan go away with the process,
 * so the long-running agent stays small between scans. The request comes over
 * the IPC channel; nothing reaches a shell.
 */
const log = componentLogger('collect');

async function run(req: CollectRequest): Promise<CollectReply> {
  const collectors = req.collectors ? COLLECTORS.filter((c) => req.collectors!.includes(c.name)) : undefined;
  const inventory = await scan({
    root: req.root,
    appRoots: req.appRoots,
    skipDirs: req.skipDirs ?? [],
    includeCaches: req.includeCaches === true,
    noLive: req.noLive,
    ...(collectors ? { collectors } : {}),
    log,
  });
  return {
    ok: true,
    inventory,
    databases: COLLECTORS.filter((c) => c.databases && c.databases.length > 0).map((c) => ({ name: c.name, databases: [...c.databases!] })),
  };
}

if (!process.send) throw new Error('collect-worker.js runs only as a child of the agent');
process.once('message', (req: CollectRequest) => {
  run(req)
    .catch((err: unknown): CollectReply => ({ ok: false, error: describeError(err) }))
    .then((reply) => process.send!(reply, () => process.disconnect()));
});
