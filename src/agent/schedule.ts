import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import { describeError } from '../common/errors.js';
import type { AgentConfig } from './config.js';
import { watchDatabases, type DatabaseWatch } from './watcher.js';

export interface ScheduleOptions {
  cfg: AgentConfig;
  log: Logger;
  /** Each collector's package databases, as the first collection reported them. */
  databases: Array<{ name: string; databases: string[] }>;
  /** The agent inventories this host: its sockets are polled. */
  live: boolean;
  /** Queues a collection on the daemon's task queue (of the named collectors' sources only, when given). */
  refresh: (reason: string, names?: string[]) => Promise<void>;
  heartbeat: () => void;
  pollPorts: () => Promise<void>;
}

/**
 * What makes the agent act on its own: the package-database watch (chokidar, with
 * its quiet period), the node-cron refresh, the heartbeat and the port poll.
 */
export class Schedule {
  private watch: DatabaseWatch | undefined;
  private cronTask: ScheduledTask | undefined;
  private timers: NodeJS.Timeout[] = [];

  constructor(private readonly o: ScheduleOptions) {}

  /** Resolves once the watch is in place. */
  async start(): Promise<void> {
    const { cfg, log } = this.o;
    if (cfg.watch.enabled) {
      this.watch = watchDatabases({
        root: cfg.root,
        collectors: this.o.databases,
        quietMs: cfg.watch.quietMs,
        maxWaitMs: cfg.watch.maxWaitMs,
        onChange: (names) => this.o.refresh('watch', names),
        onError: (err) => log.warn({ err: describeError(err) }, 'package database watch error'),
      });
      await this.watch.ready;
    }
    this.cronTask = cron.schedule(cfg.schedule.refresh, () => void this.o.refresh('schedule'), { noOverlap: true });
    this.timers.push(setInterval(() => this.o.heartbeat(), cfg.schedule.heartbeatSeconds * 1000));
    if (this.o.live) this.timers.push(setInterval(() => void this.o.pollPorts(), cfg.ports.pollSeconds * 1000));
  }

  /** Stops the heartbeat and the port poll at once. */
  clearTimers(): void {
    for (const t of this.timers) clearInterval(t);
  }

  /** Stops the cron task and closes the watch. */
  async close(): Promise<void> {
    await this.cronTask?.stop();
    await this.watch?.close();
  }
}
