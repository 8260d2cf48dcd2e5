import type { Finding } from '../../src/matcher/finding.js';
import Database from 'better-sqlite3';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFeeds } from '../../src/advisories/feeds.js';
import { JOB_HOST_TRANSITIONS, JOB_TRANSITIONS, type JobHostState, type JobState } from '../../src/common/lifecycle/patch-job.js';
import { inventoryDigest } from '../../src/common/inventory-digest.js';
import type { Component, OsInfo } from '../../src/common/model.js';
import { scan } from '../../src/inventory/scan.js';
import { FleetService } from '../../src/server/fleet-service.js';
import { PatchService, signerFromDir, type CommandReport, type PatchRequest } from '../../src/server/patch-service.js';
import type { RolloutSpec } from '../../src/server/rollout.js';
import type { JobStore } from '../../src/store/job-store.js';
import { SqliteAdvisoryStore } from '../../src/store/sqlite-advisories.js';
import { SqliteFleetStore } from '../../src/store/sqlite-fleet.js';
import { SqliteJobStore } from '../../src/store/sqlite-jobs.js';
import { vigil } from '../helpers/cli.js';
import { makeRoot, silentLog, tempDir } from '../helpers/fixtures.js';

/**
 * The patch service over real stores: a fleet database whose findings come from a
 * scanned dpkg root matched against an imported OSV feed, the job tables beside it,
 * and commands signed with keys made by `vigil keys`. Hosts answer with the reports
 * an executor sends; the clock is the test's.
 */

let tmp: { dir: string; cleanup: () => void };
let keysDir = '';
let rootKey = '';
let advisories: SqliteAdvisoryStore;
let components: Component[] = [];
let os: OsInfo | undefined;
let clock = new Date();

const SPEC: RolloutSpec = { canary: 0, waves: { count: 10 }, concurrency: 10, failureThreshold: 0.2, commandTimeoutSeconds: 600 };
const request = (hosts: string[], rollout: Partial<RolloutSpec> = {}): PatchRequest => ({ cve: 'CVE-2099-0201', hosts, rollout: { ...SPEC, ...rollout } });

interface Transition {
  what: 'job' | 'host';
  from: string;
  to: string;
}

/** A job store that records every state change it makes, read from the store before and after each call. */
function recording(inner: SqliteJobStore, seen: Transition[]): JobStore {
  const states = (id: number) => {
    const j = inner.job(id);
    return j ? { job: j.job.state, hosts: new Map(j.hosts.map((h) => [h.hostId, h.state])) } : undefined;
  };
  const around =
    <A extends unknown[]>(fn: (id: number, ...a: A) => void) =>
    (id: number, ...a: A): void => {
      const before = states(id);
      fn.call(inner, id, ...a);
      const after = states(id)!;
      if (before && before.job !== after.job) seen.push({ what: 'job', from: before.job, to: after.job });
      for (const [h, s] of after.hosts) if (before && before.hosts.get(h) !== s) seen.push({ what: 'host', from: before.hosts.get(h)!, to: s });
    };
  return Object.assign(Object.create(inner) as SqliteJobStore, {
    setJobState: around(inner.setJobState),
    endJob: around(inner.endJob),
    updateJobHost: around(inner.updateJobHost),
  });
}

interface Fleet {
  patch: PatchService;
  jobs: SqliteJobStore;
  fleet: SqliteFleetStore;
  events: Array<{ type: string; detail: Record<string, unknown> }>;
  transitions: Transition[];
}

let n = 0;
function fleetOf(hostIds: string[]): Fleet {
  const file = path.join(tmp.dir, `fleet-${++n}.db`);
  const fleet = new SqliteFleetStore<Finding>(file);
  const jobs = new SqliteJobStore(file);
  const service = new FleetService({ fleet, advisories, now: () => clock, log: silentLog });
  for (const id of hostIds) {
    fleet.upsertHost({ id, hostname: `${id}.example`, facts: { ...(os ? { os } : {}) }, tags: [], agentVersion: '0.1.0', certFingerprint: `sha256:${id}` }, clock.toISOString());
    fleet.replaceInventory(id, 1, 1, components, inventoryDigest(components));
    service.rematch(id);
  }
  expect(fleet.findings({ status: 'ACTIVE' }).length).toBe(hostIds.length);
  const events: Fleet['events'] = [];
  const transitions: Transition[] = [];
  const patch = new PatchService(fleet, recording(jobs, transitions), signerFromDir(keysDir), () => clock, silentLog, (type, _r, detail) => events.push({ type, detail }));
  return { patch, jobs, fleet, events, transitions };
}

function report(f: Fleet, jobId: number, hostId: string, ok: boolean): void {
  const h = f.jobs.job(jobId)!.hosts.find((x) => x.hostId === hostId)!;
  const r: CommandReport = {
    agentId: hostId,
    commandId: h.commandId!,
    outcome: ok ? 'completed' : 'failed',
    ...(ok ? {} : { reason: 'apt-get exited 100' }),
    before: [{ name: 'vigil-demo', version: '1.0-1' }],
    after: [{ name: 'vigil-demo', version: ok ? '1.0-2' : '1.0-1' }],
    verified: ok,
    inventorySeq: 2,
    inventoryDigest: 'x',
  } as CommandReport;
  f.patch.report(hostId, h.commandId!, r);
}

/** Steps the job, hands each command to its host and answers it; hosts in `fails` report a failure. */
function drive(f: Fleet, jobId: number, fails: Set<string>): JobState {
  for (let i = 0; i < 50; i++) {
    const sent = f.patch.step(jobId);
    const job = f.jobs.job(jobId)!.job;
    if (sent.length === 0) return job.state;
    for (const d of sent) {
      f.patch.delivered(jobId, d.hostId);
      report(f, jobId, d.hostId, !fails.has(d.hostId));
    }
  }
  throw new Error('job did not end');
}

function refusal(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (err) {
    return { code: (err as { code: string }).code, message: (err as Error).message };
  }
  throw new Error('not refused');
}

async function keys(...args: string[]): Promise<Record<string, unknown>> {
  const r = await vigil(['keys', ...args, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

beforeAll(async () => {
  tmp = tempDir('vigil-patch-service-');
  await keys('init', '--out', path.join(tmp.dir, 'root'));
  rootKey = path.join(tmp.dir, 'root/root.key');
  keysDir = path.join(tmp.dir, 'keys');
  await keys('rotate', '--root-key', rootKey, '--dir', keysDir, '--actions', 'patch', '--managers', 'apt', '--ttl', '1d');

  const feed = path.join(tmp.dir, 'feed');
  mkdirSync(feed);
  const osv = {
    schema_version: '1.6.0',
    id: 'DEBIAN-CVE-2099-0201',
    aliases: ['CVE-2099-0201'],
    modified: '2026-11-01T00:00:00Z',
    published: '2026-11-01T00:00:00Z',
    affected: [{ package: { ecosystem: 'Debian:12', name: 'vigil-demo' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.0-2' }] }] }],
  };
  writeFileSync(path.join(feed, 'a.json'), JSON.stringify(osv));
  advisories = new SqliteAdvisoryStore(path.join(tmp.dir, 'advisories.db'));
  advisories.importFeeds((await readFeeds([feed])).feeds, new Date().toISOString());

  const root = makeRoot({
    'etc/os-release': 'ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n',
    'var/lib/dpkg/status':
      'Package: vigil-demo\nStatus: install ok installed\nPriority: optional\nSection: misc\nMaintainer: Vigil <vigil@example.org>\nArchitecture: amd64\nVersion: 1.0-1\nDescription: demo\n',
  });
  const inv = await scan({ root: root.root, noLive: true, log: silentLog });
  root.cleanup();
  components = inv.components;
  os = inv.os;
  expect(components.map((c) => `${c.name}@${c.version}`)).toEqual(['vigil-demo@1.0-1']);
}, 120_000);

afterAll(() => {
  advisories?.close();
  tmp?.cleanup();
});

beforeEach(() => {
  clock = new Date();
});

describe('patch job outcomes', () => {
  it('a job whose every host failed ends failed, not completed', () => {
    const f = fleetOf(['h1', 'h2', 'h3']);
    // Threshold 1: the rollout never stops early, so only the outcome at the end decides.
    const { jobId } = f.patch.create(request(['h1', 'h2', 'h3'], { failureThreshold: 1 }));
    expect(drive(f, jobId, new Set(['h1', 'h2', 'h3']))).toBe('failed');
    const v = f.patch.view(jobId);
    expect(v.job.reason).toBe('no host verified: 3 of 3 hosts failed');
    expect(v.counts).toMatchObject({ failed: 3, verified: 0 });
    expect(f.events.filter((e) => e.type === 'Patch Job State Change').map((e) => e.detail.state)).toEqual(['running', 'failed']);
  });

  it('a job with some failed hosts within the threshold ends completed_with_failures, beyond it failed', () => {
    const ids = ['h1', 'h2', 'h3', 'h4'];
    const within = fleetOf(ids);
    const a = within.patch.create(request(ids, { failureThreshold: 0.25 })).jobId;
    expect(drive(within, a, new Set(['h4']))).toBe('completed_with_failures');
    expect(within.patch.view(a).job.reason).toBe('1 of 4 hosts failed (threshold 25%)');
    const beyond = fleetOf(ids);
    const b = beyond.patch.create(request(ids, { failureThreshold: 0.25 })).jobId;
    expect(drive(beyond, b, new Set(['h3', 'h4']))).toBe('failed');
    const all = fleetOf(ids);
    const c = all.patch.create(request(ids)).jobId;
    expect(drive(all, c, new Set())).toBe('completed');
  });

  it('a job failing at a wave boundary skips the hosts it never sent', () => {
    const ids = ['h1', 'h2', 'h3'];
    const f = fleetOf(ids);
    const { jobId } = f.patch.create(request(ids, { canary: 1, waves: { count: 1 } }));
    expect(drive(f, jobId, new Set(['h1']))).toBe('failed');
    const v = f.patch.view(jobId);
    expect(v.job.reason).toMatch(/1 of 1 finished hosts failed/);
    expect(v.hosts.map((h) => [h.hostId, h.state])).toEqual([
      ['h1', 'failed'],
      ['h2', 'skipped'],
      ['h3', 'skipped'],
    ]);
    expect(v.hosts[1]!.detail).toBe('not sent: the job failed first');
  });
});

describe('patch jobs refused at creation', () => {
  it('a job within a token scope takes only the hosts carrying one of its tags', () => {
    const f = fleetOf(['h1', 'h2', 'h3']);
    for (const [id, tags] of [['h1', ['team=web']], ['h3', ['env=prod', 'team=db']]] as const) {
      f.fleet.upsertHost({ id, hostname: `${id}.example`, facts: { ...(os ? { os } : {}) }, tags: [...tags], agentVersion: '0.1.0', certFingerprint: `sha256:${id}` }, clock.toISOString());
    }
    const { cve, rollout } = request([]);
    const { jobId, hosts } = f.patch.create({ cve, rollout, scope: ['team=web', 'team=db'] });
    expect(hosts.map((h) => h.hostId)).toEqual(['h1', 'h3']);
    expect(f.jobs.job(jobId)!.hosts.map((h) => h.hostId).sort()).toEqual(['h1', 'h3']);
    expect(refusal(() => f.patch.create({ cve, rollout, scope: ['team=none'] }))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses a deadline in the past (INVALID_INPUT)', () => {
    const f = fleetOf(['h1']);
    const past = new Date(clock.getTime() - 60_000).toISOString();
    expect(refusal(() => f.patch.create(request(['h1'], { deadline: past })))).toEqual({
      code: 'INVALID_INPUT',
      message: `deadline ${past} is in the past (now ${clock.toISOString()})`,
    });
    expect(f.patch.list()).toEqual([]);
    const future = new Date(clock.getTime() + 3_600_000).toISOString();
    expect(f.patch.create(request(['h1'], { deadline: future })).jobId).toBe(1);
  });

  it('refuses a job on a host that is in a running or paused job (CONFLICT, naming both)', () => {
    const f = fleetOf(['h1', 'h2', 'h3']);
    const a = f.patch.create(request(['h1', 'h2'])).jobId;
    const expected = { code: 'CONFLICT', message: `host h2 is already in patch job ${a}, which is running: wait for it to end or run "vigil patch cancel ${a}"` };
    expect(refusal(() => f.patch.create(request(['h2', 'h3'])))).toEqual(expected);
    f.patch.setState(a, 'paused');
    expect(refusal(() => f.patch.create(request(['h2', 'h3']))).message).toMatch(new RegExp(`host h2 is already in patch job ${a}, which is paused`));
    // A host in no active job can still be patched, and an ended job holds no host.
    const b = f.patch.create(request(['h3'])).jobId;
    f.patch.setState(a, 'cancelled');
    expect(f.patch.view(a).hosts.map((h) => h.state)).toEqual(['skipped', 'skipped']);
    expect(refusal(() => f.patch.create(request(['h3']))).message).toMatch(new RegExp(`host h3 is already in patch job ${b}`));
    expect(f.patch.create(request(['h1', 'h2'])).jobId).toBe(b + 1);
  });

  it('refuses a job while the online key is revoked, and sends nothing for a running job, until "vigil keys rotate"', async () => {
    const f = fleetOf(['h1', 'h2']);
    const running = f.patch.create(request(['h1'])).jobId;
    const listed = await keys('list', '--dir', keysDir);
    const online = listed.onlineKeyId as string;
    await keys('revoke', '--root-key', rootKey, '--dir', keysDir, online);
    const r = refusal(() => f.patch.create(request(['h2'])));
    expect(r.code).toBe('CONFLICT');
    expect(r.message).toMatch(new RegExp(`^the server's online signing key ${online} is revoked \\(delegation serial \\d+\\); run "vigil keys rotate --root-key ROOT.key --dir ${keysDir}"`));
    expect(f.patch.step(running)).toEqual([]);
    expect(f.patch.view(running).hosts.map((h) => h.state)).toEqual(['pending']);
    await keys('rotate', '--root-key', rootKey, '--dir', keysDir);
    expect(f.patch.create(request(['h2'])).jobId).toBe(running + 1);
    expect(f.patch.step(running).map((d) => d.hostId)).toEqual(['h1']);
  });

  it('refuses a job when the delegation of the online key has expired', async () => {
    const f = fleetOf(['h1']);
    const { expiresAt } = (await keys('list', '--dir', keysDir)) as { expiresAt: string };
    clock = new Date(Date.parse(expiresAt) + 60_000);
    const r = refusal(() => f.patch.create(request(['h1'])));
    expect(r.code).toBe('CONFLICT');
    expect(r.message).toMatch(new RegExp(`^the delegation of the server's online signing key [0-9a-f]{64} expired at ${expiresAt}; run "vigil keys rotate`));
    clock = new Date(Date.parse(expiresAt) - 60_000);
    expect(f.patch.create(request(['h1'])).jobId).toBe(1);
  });
});

describe('every state change follows the written machines', () => {
  it('drives jobs through pause, resume, timeout, deadline, failure and cancel, each change in the tables', () => {
    const seen: Transition[] = [];
    const run = (ids: string[], rollout: Partial<RolloutSpec>, act: (f: Fleet, jobId: number) => void): void => {
      clock = new Date();
      const f = fleetOf(ids);
      const { jobId } = f.patch.create(request(ids, rollout));
      act(f, jobId);
      seen.push(...f.transitions);
    };
    run(['h1', 'h2', 'h3'], { failureThreshold: 0.5 }, (f, id) => {
      f.patch.setState(id, 'paused');
      expect(f.patch.step(id)).toEqual([]);
      f.patch.setState(id, 'running');
      expect(drive(f, id, new Set(['h3']))).toBe('completed_with_failures');
    });
    run(['h1', 'h2'], { commandTimeoutSeconds: 60, failureThreshold: 0.5 }, (f, id) => {
      // The first host never gets its command (offline); the second answers at once.
      const sent = f.patch.step(id);
      // A host that answers without a recorded delivery had the command.
      report(f, id, sent[1]!.hostId, true);
      clock = new Date(clock.getTime() + 120_000);
      expect(f.patch.step(id)).toEqual([]);
      expect(f.patch.view(id).job.state).toBe('completed_with_failures');
      expect(f.patch.view(id).hosts.find((h) => h.hostId === sent[0]!.hostId)!.detail).toBe('no result before the command timeout');
    });
    run(['h1', 'h2', 'h3'], { canary: 1, waves: { count: 1 }, deadline: new Date(Date.now() + 60_000).toISOString() }, (f, id) => {
      const [canary] = f.patch.step(id);
      f.patch.delivered(id, canary!.hostId);
      report(f, id, canary!.hostId, true);
      clock = new Date(clock.getTime() + 120_000);
      expect(f.patch.step(id)).toEqual([]);
      expect(f.patch.view(id).job).toMatchObject({ state: 'completed_with_failures', reason: '2 of 3 hosts skipped (threshold 20%)' });
    });
    run(['h1', 'h2'], { canary: 1, waves: { count: 1 } }, (f, id) => expect(drive(f, id, new Set(['h1']))).toBe('failed'));
    run(['h1', 'h2'], {}, (f, id) => expect(drive(f, id, new Set())).toBe('completed'));
    run(['h1'], {}, (f, id) => {
      f.patch.setState(id, 'paused');
      f.patch.setState(id, 'cancelled');
      expect(f.patch.view(id).hosts.map((h) => [h.state, h.detail])).toEqual([['skipped', 'not sent: the job was cancelled']]);
    });
    run(['h1', 'h2'], { canary: 1, waves: { count: 1 } }, (f, id) => {
      const [d] = f.patch.step(id);
      f.patch.setState(id, 'cancelled');
      // The command already out may still run: its report is kept.
      report(f, id, d!.hostId, true);
      expect(f.patch.view(id).hosts.map((h) => h.state)).toEqual(['verified', 'skipped']);
      expect(refusal(() => f.patch.setState(id, 'running'))).toEqual({ code: 'CONFLICT', message: `patch job ${id} is cancelled; it cannot become running` });
    });
    for (const t of seen) {
      const table = (t.what === 'job' ? JOB_TRANSITIONS : JOB_HOST_TRANSITIONS) as Record<string, readonly string[]>;
      expect(table[t.from], `${t.what} ${t.from} -> ${t.to}`).toContain(t.to);
    }
    const pairs = new Set(seen.map((t) => `${t.what} ${t.from}>${t.to}`));
    const every = [
      ...Object.entries(JOB_TRANSITIONS as Record<JobState, readonly JobState[]>).flatMap(([a, tos]) => tos.map((b) => `job ${a}>${b}`)),
      ...Object.entries(JOB_HOST_TRANSITIONS as Record<JobHostState, readonly JobHostState[]>).flatMap(([a, tos]) => tos.map((b) => `host ${a}>${b}`)),
    ];
    // The scenarios reach every allowed transition.
    expect(every.filter((p) => !pairs.has(p))).toEqual([]);
  });

  it('the store refuses a change the tables do not allow (INTERNAL)', () => {
    const f = fleetOf(['h1']);
    const { jobId } = f.patch.create(request(['h1']));
    expect(refusal(() => f.jobs.updateJobHost(jobId, 'h1', { state: 'verified' }, clock.toISOString()))).toEqual({
      code: 'INTERNAL',
      message: `patch job ${jobId} host h1: a patch job host cannot go from pending to verified`,
    });
    expect(refusal(() => f.jobs.setJobState(jobId, 'running', clock.toISOString())).message).toBe(`patch job ${jobId}: a patch job cannot go from running to running`);
    f.jobs.endJob(jobId, 'cancelled', clock.toISOString(), 'test', 'not sent');
    expect(refusal(() => f.jobs.setJobState(jobId, 'paused', clock.toISOString())).code).toBe('INTERNAL');
  });
});

describe('job tables of an older Vigil', () => {
  it('are migrated in place: halted is failed, never-sent hosts skipped, completed jobs get their true outcome', () => {
    const file = path.join(tmp.dir, 'v1.db');
    const db = new Database(file);
    db.exec(`CREATE TABLE patch_jobs (
      id INTEGER PRIMARY KEY AUTOINCREMENT, spec TEXT NOT NULL, state TEXT NOT NULL, reason TEXT,
      created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
    CREATE TABLE patch_job_hosts (
      job_id INTEGER NOT NULL REFERENCES patch_jobs (id) ON DELETE CASCADE, host_id TEXT NOT NULL,
      wave INTEGER NOT NULL, ord INTEGER NOT NULL, manager TEXT NOT NULL, packages TEXT NOT NULL, findings TEXT NOT NULL,
      state TEXT NOT NULL, command_id TEXT UNIQUE, sent_at TEXT, finished_at TEXT, detail TEXT, signed_command TEXT, result TEXT,
      PRIMARY KEY (job_id, host_id));`);
    const spec = JSON.stringify({ rollout: { ...SPEC, failureThreshold: 0.2 } });
    const job = db.prepare("INSERT INTO patch_jobs (spec, state, reason, created_at, updated_at) VALUES (?, ?, ?, 't', 't')");
    const host = db.prepare("INSERT INTO patch_job_hosts (job_id, host_id, wave, ord, manager, packages, findings, state) VALUES (?, ?, 0, ?, 'apt', '[]', '[]', ?)");
    job.run(spec, 'halted', '1 of 1 finished hosts failed (threshold 20%)');
    host.run(1, 'a', 0, 'failed');
    host.run(1, 'b', 1, 'pending');
    job.run(spec, 'completed', null);
    host.run(2, 'a', 0, 'failed');
    host.run(2, 'b', 1, 'failed');
    job.run(spec, 'completed', null);
    host.run(3, 'a', 0, 'verified');
    job.run(spec, 'running', null);
    host.run(4, 'a', 0, 'sent');
    db.close();

    const jobs = new SqliteJobStore(file);
    expect(jobs.jobs().map((j) => [j.id, j.state, j.reason])).toEqual([
      [1, 'failed', '1 of 1 finished hosts failed (threshold 20%)'],
      [2, 'failed', 'no host verified: 2 of 2 hosts failed'],
      [3, 'completed', undefined],
      [4, 'running', undefined],
    ]);
    expect(jobs.job(1)!.hosts.map((h) => [h.state, h.detail])).toEqual([
      ['failed', undefined],
      ['skipped', 'not sent: the job failed first'],
    ]);
    jobs.close();
    // Opened again, nothing changes: the version is recorded.
    const again = new SqliteJobStore(file);
    expect(again.jobs().map((j) => j.state)).toEqual(['failed', 'failed', 'completed', 'running']);
    again.close();
  });
});
