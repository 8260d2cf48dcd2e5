import Database from 'better-sqlite3';
import { VigilError } from '../common/errors.js';
import type { JobHostInput, JobHostRecord, JobHostStateName, JobRecord, JobStateName, JobStore } from './job-store.js';

const SCHEMA = `
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
    try {
      this.db = new Database(file);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('foreign_keys = ON');
      this.db.exec(SCHEMA);
    } catch (err) {
      throw new VigilError('IO', `cannot open the job tables in ${file}: ${(err as Error).message}`, { cause: err });
    }
  }

  createJob(spec: Record<string, unknown>, hosts: JobHostInput[], now: string): number {
    return this.db.transaction(() => {
      const id = Number(this.db.prepare('INSERT INTO patch_jobs (spec, state, created_at, updated_at) VALUES (?, ?, ?, ?)').run(JSON.stringify(spec), 'running', now, now).lastInsertRowid);
      const ins = this.db.prepare(
        'INSERT INTO patch_job_hosts (job_id, host_id, wave, ord, manager, packages, findings, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      );
      hosts.forEach((h, i) => ins.run(id, h.hostId, h.wave, i, h.manager, JSON.stringify(h.packages), JSON.stringify(h.findings), 'pending'));
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

  setJobState(id: number, state: JobStateName, now: string, reason?: string): void {
    const r = this.db.prepare('UPDATE patch_jobs SET state = ?, reason = ?, updated_at = ? WHERE id = ?').run(state, reason ?? null, now, id);
    if (r.changes === 0) throw new VigilError('NOT_FOUND', `no patch job ${id}`);
  }

  updateJobHost(id: number, hostId: string, patch: Partial<Pick<JobHostRecord, 'state' | 'commandId' | 'sentAt' | 'finishedAt' | 'detail' | 'signedCommand' | 'result'>>, now: string): void {
    const cols: string[] = [];
    const vals: unknown[] = [];
    const set = (c: string, v: unknown): void => {
      cols.push(`${c} = ?`);
      vals.push(v);
    };
    if (patch.state !== undefined) set('state', patch.state);
    if (patch.commandId !== undefined) set('command_id', patch.commandId);
    if (patch.sentAt !== undefined) set('sent_at', patch.sentAt);
    if (patch.finishedAt !== undefined) set('finished_at', patch.finishedAt);
    if (patch.detail !== undefined) set('detail', patch.detail);
    if (patch.signedCommand !== undefined) set('signed_command', patch.signedCommand);
    if (patch.result !== undefined) set('result', JSON.stringify(patch.result));
    if (cols.length === 0) return;
    this.db.transaction(() => {
      const r = this.db.prepare(`UPDATE patch_job_hosts SET ${cols.join(', ')} WHERE job_id = ? AND host_id = ?`).run(...vals, id, hostId);
      if (r.changes === 0) throw new VigilError('NOT_FOUND', `host ${hostId} is not in patch job ${id}`);
      this.db.prepare('UPDATE patch_jobs SET updated_at = ? WHERE id = ?').run(now, id);
    })();
  }

  commandHost(commandId: string): { jobId: number; host: JobHostRecord } | undefined {
    const r = this.db.prepare<[string], HostRow>('SELECT * FROM patch_job_hosts WHERE command_id = ?').get(commandId);
    return r && { jobId: r.job_id, host: toHost(r) };
  }

  outstanding(hostId: string): Array<{ jobId: number; host: JobHostRecord }> {
    return this.db
      .prepare<[string], HostRow>("SELECT * FROM patch_job_hosts WHERE host_id = ? AND state = 'sent' ORDER BY job_id")
      .all(hostId)
      .map((r) => ({ jobId: r.job_id, host: toHost(r) }));
  }

  close(): void {
    this.db.close();
  }
}
