import Database from 'better-sqlite3';
import { VigilError } from '../common/errors.js';
import { JOB_HOST_INITIAL, JOB_INITIAL, isFinalHost, isJobHostState, isJobState, jobHostTransition, jobOutcome, jobTransition } from '../common/lifecycle/patch-job.js';
import type { JobHostInput, JobHostRecord, JobHostStateName, JobRecord, JobStateName, JobStore } from './job-store.js';
import { claimSchemaVersion, openStoreDatabase } from './sqlite-open.js';

/**
 * Version of the job tables, kept in the fleet database's meta table under its own key.
 * 1: states running, paused, halted, cancelled, completed; hosts pending, sent, verified,
 * failed, skipped. 2: common/lifecycle/patch-job.ts (halted is failed, a completed job
 * is completed only when every host verified, hosts never sent by an ended job are skipped).
 */
const JOBS_SCHEMA_VERSION = 2;
const SCHEMA_KEY = 'jobs_schema';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS patch_jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT, spec TEXT NOT NULL, state TEXT NOT NULL, reason TEXT,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS patch_job_hosts (
  job_id INTEGER NOT NULL REFERENCES patch_jobs (id) ON DELETE CASCADE, host_id TEXT NOT NULL,
  wave INTEGER NOT NULL, ord INTEGER NOT NULL, manager TEXT NOT NULL, packages TEXT NOT NULL, findings TEXT NOT NULL,
  state TEXT NOT NULL, command_id TEXT UNIQUE, sent_at TEXT, finished_at TEXT, detail TEXT, signed_command TEXT, result TEXT,
  PRIMARY KEY (job_id, host_id));
CREATE INDEX IF NOT EXISTS patch_job_hosts_by_host ON patch_job_hosts (host_id, state);
`;

interface HostRow {
  job_id: number;
  host_id: string;
  wave: number;
  manager: string;
  packages: string;
  findings: string;
  state: JobHostStateName;
  command_id: string | null;
  sent_at: string | null;
  finished_at: string | null;
  detail: string | null;
  signed_command: string | null;
  result: string | null;
}

interface JobRow {
  id: number;
  spec: string;
  state: JobStateName;
  reason: string | null;
  created_at: string;
  updated_at: string;
}

function toHost(r: HostRow): JobHostRecord {
  const h: JobHostRecord = {
    hostId: r.host_id,
    wave: r.wave,
    manager: r.manager,
    packages: JSON.parse(r.packages) as JobHostRecord['packages'],
    findings: JSON.parse(r.findings) as string[],
    state: r.state,
  };
  if (r.command_id) h.commandId = r.command_id;
  if (r.sent_at) h.sentAt = r.sent_at;
  if (r.finished_at) h.finishedAt = r.finished_at;
  if (r.detail) h.detail = r.detail;
  if (r.signed_command) h.signedCommand = r.signed_command;
  if (r.result) h.result = JSON.parse(r.result) as unknown;
  return h;
}

function toJob(r: JobRow): JobRecord {
  const j: JobRecord = { id: r.id, spec: JSON.parse(r.spec) as Record<string, unknown>, state: r.state, createdAt: r.created_at, updatedAt: r.updated_at };
  if (r.reason) j.reason = r.reason;
  return j;
}

/** Patch jobs in the fleet database file (its own tables; every change one statement or transaction). */
export class SqliteJobStore implements JobStore {
  private readonly db: Database.Database;

  constructor(readonly file: string) {
    this.db = openStoreDatabase(file, { what: 'the job tables in', notOurs: 'does not hold Vigil patch jobs' }, { foreignKeys: true });
    try {
      this.db.transaction(() => {
        const existed = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'patch_jobs'").get() !== undefined;
        this.db.exec(SCHEMA);
        const version = claimSchemaVersion(this.db, SCHEMA_KEY, JOBS_SCHEMA_VERSION, 'job schema') ?? (existed ? 1 : JOBS_SCHEMA_VERSION);
        if (version < 2) this.migrateToLifecycle();
        const bad = this.db
          .prepare<[], { state: string }>('SELECT state FROM patch_jobs UNION SELECT state FROM patch_job_hosts')
          .all()
          .find((r) => !isJobState(r.state) && !isJobHostState(r.state));
        if (bad) throw new Error(`unknown patch job state ${JSON.stringify(bad.state)}`);
      })();
    } catch (err) {
      this.db.close();
      throw new VigilError('INVALID_INPUT', `${file} does not hold Vigil patch jobs: ${(err as Error).message}`, { cause: err });
    }
  }

  /**
   * Version 1 → 2, in the caller's transaction: a halted job failed; a completed job
   * gets the outcome its hosts and threshold decide; hosts an ended job never sent
   * are skipped.
   */
  private migrateToLifecycle(): void {
    this.db.prepare("UPDATE patch_jobs SET state = 'failed' WHERE state = 'halted'").run();
    this.db
      .prepare(
        "UPDATE patch_job_hosts SET state = 'skipped', detail = CASE (SELECT state FROM patch_jobs WHERE id = job_id) WHEN 'failed' THEN 'not sent: the job failed first' ELSE 'not sent: the job was cancelled' END WHERE state = 'pending' AND job_id IN (SELECT id FROM patch_jobs WHERE state IN ('failed', 'cancelled'))",
      )
      .run();
    const completed = this.db.prepare<[], JobRow>("SELECT * FROM patch_jobs WHERE state = 'completed'").all();
    const hostStates = this.db.prepare<[number], { state: JobHostStateName }>('SELECT state FROM patch_job_hosts WHERE job_id = ?');
    const set = this.db.prepare<[string, string | null, number]>('UPDATE patch_jobs SET state = ?, reason = ? WHERE id = ?');
    for (const j of completed) {
      const threshold = (JSON.parse(j.spec) as { rollout?: { failureThreshold?: number } }).rollout?.failureThreshold ?? 0;
      const hosts = hostStates.all(j.id);
      if (!hosts.every((h) => isFinalHost(h.state))) continue;
      const o = jobOutcome(hosts, threshold);
      if (o.state !== 'completed') set.run(o.state, o.reason ?? null, j.id);
    }
  }

  createJob(spec: Record<string, unknown>, hosts: JobHostInput[], now: string): number {
    return this.db.transaction(() => {
      const id = Number(this.db.prepare('INSERT INTO patch_jobs (spec, state, created_at, updated_at) VALUES (?, ?, ?, ?)').run(JSON.stringify(spec), JOB_INITIAL, now, now).lastInsertRowid);
      const ins = this.db.prepare(
        'INSERT INTO patch_job_hosts (job_id, host_id, wave, ord, manager, packages, findings, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      );
      hosts.forEach((h, i) => ins.run(id, h.hostId, h.wave, i, h.manager, JSON.stringify(h.packages), JSON.stringify(h.findings), JOB_HOST_INITIAL));
      return id;
    })();
  }

  job(id: number): { job: JobRecord; hosts: JobHostRecord[] } | undefined {
    const r = this.db.prepare<[number], JobRow>('SELECT * FROM patch_jobs WHERE id = ?').get(id);
    if (!r) return undefined;
    const hosts = this.db.prepare<[number], HostRow>('SELECT * FROM patch_job_hosts WHERE job_id = ? ORDER BY ord').all(id).map(toHost);
    return { job: toJob(r), hosts };
  }

  jobs(filter: { state?: JobStateName[] } = {}): JobRecord[] {
    const rows = this.db.prepare<[], JobRow>('SELECT * FROM patch_jobs ORDER BY id').all().map(toJob);
    return filter.state ? rows.filter((j) => filter.state!.includes(j.state)) : rows;
  }

  private currentJobState(id: number): JobStateName {
    const r = this.db.prepare<[number], { state: JobStateName }>('SELECT state FROM patch_jobs WHERE id = ?').get(id);
    if (!r) throw new VigilError('NOT_FOUND', `no patch job ${id}`);
    return r.state;
  }

  setJobState(id: number, state: JobStateName, now: string, reason?: string): void {
    this.db.transaction(() => {
      jobTransition(this.currentJobState(id), state, `patch job ${id}`);
      this.db.prepare('UPDATE patch_jobs SET state = ?, reason = ?, updated_at = ? WHERE id = ?').run(state, reason ?? null, now, id);
    })();
  }

  endJob(id: number, state: JobStateName, now: string, reason: string | undefined, skipDetail: string): void {
    this.db.transaction(() => {
      jobTransition(this.currentJobState(id), state, `patch job ${id}`);
      const pending = this.db.prepare<[number], { host_id: string }>("SELECT host_id FROM patch_job_hosts WHERE job_id = ? AND state = 'pending'").all(id);
      const skip = this.db.prepare("UPDATE patch_job_hosts SET state = ?, detail = ? WHERE job_id = ? AND host_id = ?");
      for (const p of pending) skip.run(jobHostTransition('pending', 'skipped', `patch job ${id} host ${p.host_id}`), skipDetail, id, p.host_id);
      this.db.prepare('UPDATE patch_jobs SET state = ?, reason = ?, updated_at = ? WHERE id = ?').run(state, reason ?? null, now, id);
    })();
  }

  updateJobHost(id: number, hostId: string, patch: Partial<Pick<JobHostRecord, 'state' | 'commandId' | 'sentAt' | 'finishedAt' | 'detail' | 'signedCommand' | 'result'>>, now: string): void {
    const cols: string[] = [];
    const vals: unknown[] = [];
    const set = (c: string, v: unknown): void => {
      cols.push(`${c} = ?`);
      vals.push(v);
    };
    const newState = patch.state;
    if (newState !== undefined) set('state', newState);
    if (patch.commandId !== undefined) set('command_id', patch.commandId);
    if (patch.sentAt !== undefined) set('sent_at', patch.sentAt);
    if (patch.finishedAt !== undefined) set('finished_at', patch.finishedAt);
    if (patch.detail !== undefined) set('detail', patch.detail);
    if (patch.signedCommand !== undefined) set('signed_command', patch.signedCommand);
    if (patch.result !== undefined) set('result', JSON.stringify(patch.result));
    if (cols.length === 0) return;
    this.db.transaction(() => {
      if (newState !== undefined) {
        const cur = this.db.prepare<[number, string], { state: JobHostStateName }>('SELECT state FROM patch_job_hosts WHERE job_id = ? AND host_id = ?').get(id, hostId);
        if (!cur) throw new VigilError('NOT_FOUND', `host ${hostId} is not in patch job ${id}`);
        jobHostTransition(cur.state, newState, `patch job ${id} host ${hostId}`);
      }
      const r = this.db.prepare(`UPDATE patch_job_hosts SET ${cols.join(', ')} WHERE job_id = ? AND host_id = ?`).run(...vals, id, hostId);
      if (r.changes === 0) throw new VigilError('NOT_FOUND', `host ${hostId} is not in patch job ${id}`);
      this.db.prepare('UPDATE patch_jobs SET updated_at = ? WHERE id = ?').run(now, id);
    })();
  }

  commandHost(commandId: string): { jobId: number; host: JobHostRecord } | undefined {
    const r = this.db.prepare<[string], HostRow>('SELECT * FROM patch_job_hosts WHERE command_id = ?').get(commandId);
    return r && { jobId: r.job_id, host: toHost(r) };
  }

  outstanding(hostId: string): Array<{ jobId: number; jobState: JobStateName; host: JobHostRecord }> {
    return this.db
      .prepare<[string], HostRow & { job_state: JobStateName }>(
        "SELECT h.*, j.state AS job_state FROM patch_job_hosts h JOIN patch_jobs j ON j.id = h.job_id WHERE h.host_id = ? AND h.state IN ('sent', 'running') ORDER BY h.job_id",
      )
      .all(hostId)
      .map((r) => ({ jobId: r.job_id, jobState: r.job_state, host: toHost(r) }));
  }

  activeOn(hostIds: string[]): Array<{ jobId: number; jobState: JobStateName; hostId: string; hostState: JobHostStateName }> {
    const wanted = new Set(hostIds);
    return this.db
      .prepare<[], { job_id: number; job_state: JobStateName; host_id: string; state: JobHostStateName }>(
        "SELECT h.job_id, j.state AS job_state, h.host_id, h.state FROM patch_job_hosts h JOIN patch_jobs j ON j.id = h.job_id WHERE j.state IN ('running', 'paused') ORDER BY h.job_id, h.ord",
      )
      .all()
      .filter((r) => wanted.has(r.host_id))
      .map((r) => ({ jobId: r.job_id, jobState: r.job_state, hostId: r.host_id, hostState: r.state }));
  }

  close(): void {
    this.db.close();
  }
}
