import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { KeyObject } from 'node:crypto';
import type { Logger } from 'pino';
import type { Severity } from '../advisories/model.js';
import { VigilError } from '../common/errors.js';
import type { ExecutorResult } from '../common/executor-protocol.js';
import { componentLogger } from '../common/log.js';
import { SIGNING_FILES, parseEnvelope, readPrivateKeyFile, signCommand, type Envelope, type PackageManager } from '../common/signing.js';
import type { CloseReason, FleetStore, StoredFinding } from '../store/fleet-store.js';
import type { JobHostInput, JobHostRecord, JobRecord, JobStateName, JobStore } from '../store/job-store.js';
import { SCHEMES } from '../versions/index.js';
import { resource, type EventSink } from './events.js';
import { nextStep, planWaves, validateSpec, type RolloutSpec } from './rollout.js';

/** What `vigil patch create` asks for: which findings to fix, and how to roll out. */
export interface PatchRequest {
  cve?: string;
  severity?: Severity[];
  tag?: string;
  hosts?: string[];
  rollout: RolloutSpec;
  /** Validity of each signed command from the moment it is sent. */
  commandTtlSeconds?: number;
}

/** A host's signed report of one command (verified by the stream against the host's certificate). */
export interface CommandReport extends ExecutorResult {
  agentId: string;
  /** The inventory the agent held after its rescan. */
  inventorySeq: number;
  inventoryDigest: string;
}

export interface JobView {
  job: JobRecord;
  hosts: JobHostRecord[];
  counts: Record<JobHostRecord['state'], number>;
  /** Findings the job closed, with the time from first seen to closed. */
  closed: Array<{ hostId: string; finding: string; vulnerability: string; package: string; closedAt: string; remediationSeconds: number }>;
}

/** The command to send now: its host and the exact signed bytes. */
export interface Dispatch {
  jobId: number;
  hostId: string;
  signedCommand: Buffer;
}

const MANAGER_BY_OS: Record<string, PackageManager> = {
  debian: 'apt',
  ubuntu: 'apt',
  alpine: 'apk',
  almalinux: 'dnf',
  rocky: 'dnf',
  rhel: 'dnf',
  fedora: 'dnf',
  centos: 'dnf',
  ol: 'dnf',
  amzn: 'dnf',
  sles: 'zypper',
  'opensuse-leap': 'zypper',
  azurelinux: 'dnf',
  mariner: 'dnf',
};
const ECOSYSTEM_OF: Record<PackageManager, string> = { apt: 'deb', dnf: 'rpm', yum: 'rpm', zypper: 'rpm', apk: 'apk' };
const SCHEME_OF = { apt: 'dpkg', dnf: 'rpm', yum: 'rpm', zypper: 'rpm', apk: 'apk' } as const;

/** The server's online signing key with its delegation, read from the key directory `vigil keys rotate` writes. */
export interface CommandSigner {
  sign(payload: Parameters<typeof signCommand>[0]): Buffer;
}

export function loadSigner(dir: string): CommandSigner | undefined {
  const files = [SIGNING_FILES.onlineKey, SIGNING_FILES.delegation, SIGNING_FILES.rootPub].map((f) => path.join(dir, f));
  if (!files.every((f) => existsSync(f))) return undefined;
  const key: KeyObject = readPrivateKeyFile(files[0]!);
  const delegation: Envelope = parseEnvelope(JSON.parse(readFileSync(files[1]!, 'utf8')) as unknown, 'delegation');
  const rootPem = readFileSync(files[2]!, 'utf8');
  return { sign: (payload) => signCommand(payload, key, delegation, rootPem) };
}

/**
 * Patch jobs on top of the fleet: selection of hosts and packages from findings,
 * rollout steps, signed commands, reports, and the close reason of the findings a
 * job fixed. Runs in the matcher worker with the stores.
 */
export class PatchService {
  private readonly log: Logger;

  constructor(
    private readonly fleet: FleetStore,
    private readonly jobs: JobStore,
    private readonly signer: () => CommandSigner | undefined,
    private readonly now: () => Date,
    log?: Logger,
    private readonly emit: EventSink = () => {},
  ) {
    this.log = log ?? componentLogger('patch');
  }

  private jobEvent(jobId: number, state: JobStateName, reason?: string): void {
    this.emit('Patch Job State Change', [resource.job(jobId)], { jobId, state, ...(reason ? { reason } : {}) }, this.now().toISOString());
  }

  private commandEvent(jobId: number, hostId: string, commandId: string | undefined, state: string, detail?: string): void {
    this.emit(
      'Patch Command State Change',
      [resource.job(jobId), resource.host(hostId), ...(commandId ? [resource.command(commandId)] : [])],
      { jobId, hostId, ...(commandId ? { commandId } : {}), state, ...(detail ? { detail } : {}) },
      this.now().toISOString(),
    );
  }

  create(req: PatchRequest): { jobId: number; hosts: JobHostInput[] } {
    validateSpec(req.rollout);
    if (!this.signer()) throw new VigilError('CONFLICT', 'the server has no signing key: run "vigil keys rotate --root-key ROOT.key --dir <data dir>/keys" where the root key is kept');
    const findings = this.fleet.findings({
      status: 'ACTIVE',
      ...(req.cve ? { cve: req.cve } : {}),
      ...(req.severity?.length ? { severity: req.severity } : {}),
      ...(req.tag ? { tag: req.tag } : {}),
    });
    const wanted = req.hosts?.length ? new Set(req.hosts) : undefined;
    const byHost = new Map<string, StoredFinding[]>();
    for (const f of findings) {
      if (wanted && !wanted.has(f.hostId)) continue;
      let l = byHost.get(f.hostId);
      if (!l) byHost.set(f.hostId, (l = []));
      l.push(f);
    }
    const inputs: JobHostInput[] = [];
    for (const hostId of [...byHost.keys()].sort()) {
      const host = this.fleet.host(hostId);
      if (!host || host.revokedAt) continue;
      const manager = MANAGER_BY_OS[host.facts.os?.id ?? ''];
      if (!manager) continue;
      const scheme = SCHEMES[SCHEME_OF[manager]];
      const pkgs = new Map<string, string>();
      const ids: string[] = [];
      for (const f of byHost.get(hostId)!) {
        const doc = f.finding as unknown as { fixedVersion?: string; component: { ecosystem: string; name: string } };
        if (!doc.fixedVersion || doc.component.ecosystem !== ECOSYSTEM_OF[manager]) continue;
        // The highest fixed version any finding on the package needs is the one to reach.
        const prev = pkgs.get(doc.component.name);
        if (prev === undefined || scheme.compare(prev, doc.fixedVersion) < 0) pkgs.set(doc.component.name, doc.fixedVersion);
        ids.push(f.id);
      }
      if (pkgs.size === 0) continue;
      inputs.push({ hostId, wave: 0, manager, packages: [...pkgs].sort().map(([name, fixedVersion]) => ({ name, fixedVersion })), findings: ids });
    }
    if (inputs.length === 0) throw new VigilError('NOT_FOUND', 'no active finding with a known fix matches the selection');
    const waves = planWaves(
      inputs.map((h) => h.hostId),
      req.rollout,
    );
    for (const h of inputs) h.wave = waves.find((w) => w.hostId === h.hostId)!.wave;
    const jobId = this.jobs.createJob({ ...req }, inputs, this.now().toISOString());
    this.log.info({ job: jobId, hosts: inputs.length }, 'patch job created');
    this.jobEvent(jobId, 'running', `created for ${inputs.length} hosts`);
    return { jobId, hosts: inputs };
  }

  running(): number[] {
    return this.jobs.jobs({ state: ['running'] }).map((j) => j.id);
  }

  setState(jobId: number, state: Extract<JobStateName, 'running' | 'paused' | 'cancelled'>): JobRecord {
    const j = this.jobs.job(jobId);
    if (!j) throw new VigilError('NOT_FOUND', `no patch job ${jobId}`);
    const allowed: Record<string, JobStateName[]> = { running: ['paused'], paused: ['running'], cancelled: ['running', 'paused', 'halted'] };
    if (!allowed[state]!.includes(j.job.state)) throw new VigilError('USAGE', `patch job ${jobId} is ${j.job.state}; it cannot become ${state}`);
    this.jobs.setJobState(jobId, state, this.now().toISOString(), state === 'cancelled' ? 'cancelled by an operator' : undefined);
    this.log.info({ job: jobId, state }, 'patch job state changed');
    this.jobEvent(jobId, state);
    return this.jobs.job(jobId)!.job;
  }

  /** Advances a running job as far as it can go now; returns the commands to send. */
  step(jobId: number): Dispatch[] {
    const out: Dispatch[] = [];
    for (let guard = 0; guard < 10_000; guard++) {
      const j = this.jobs.job(jobId);
      if (!j || j.job.state !== 'running') return out;
      const spec = (j.job.spec as unknown as PatchRequest).rollout;
      const now = this.now();
      const iso = now.toISOString();
      const s = nextStep(spec, { state: j.job.state, hosts: j.hosts }, now);
      switch (s.kind) {
        case 'wait':
          return out;
        case 'timeout':
          for (const h of s.hostIds) {
            this.jobs.updateJobHost(jobId, h, { state: 'failed', finishedAt: iso, detail: 'no result before the command timeout' }, iso);
            this.commandEvent(jobId, h, j.hosts.find((x) => x.hostId === h)?.commandId, 'failed', 'no result before the command timeout');
          }
          continue;
        case 'halt':
          this.jobs.setJobState(jobId, 'halted', iso, s.reason);
          this.log.warn({ job: jobId, reason: s.reason }, 'patch job halted');
          this.jobEvent(jobId, 'halted', s.reason);
          return out;
        case 'complete':
          this.jobs.setJobState(jobId, 'completed', iso);
          this.log.info({ job: jobId }, 'patch job completed');
          this.jobEvent(jobId, 'completed');
          return out;
        case 'miss':
          for (const h of s.hostIds) {
            this.jobs.updateJobHost(jobId, h, { state: 'skipped', detail: s.reason }, iso);
            this.commandEvent(jobId, h, undefined, 'skipped', s.reason);
          }
          continue;
        case 'send':
          for (const hostId of s.hostIds) out.push(this.dispatch(jobId, j.hosts.find((h) => h.hostId === hostId)!, (j.job.spec as unknown as PatchRequest).commandTtlSeconds ?? 3600));
          continue;
      }
    }
    return out;
  }

  private dispatch(jobId: number, h: JobHostRecord, ttl: number): Dispatch {
    const signer = this.signer();
    if (!signer) throw new VigilError('CONFLICT', 'the server has no signing key');
    const now = this.now();
    const commandId = randomUUID();
    const signedCommand = signer.sign({
      version: 1,
      commandId,
      hostId: h.hostId,
      jobId: String(jobId),
      issuedAt: now.toISOString(),
      notBefore: new Date(now.getTime() - 60_000).toISOString(),
      expiresAt: new Date(now.getTime() + ttl * 1000).toISOString(),
      action: 'patch',
      manager: h.manager as PackageManager,
      packages: h.packages.map((p) => ({ name: p.name, version: p.fixedVersion })),
      options: { reboot: 'never' },
    });
    this.jobs.updateJobHost(jobId, h.hostId, { state: 'sent', commandId, sentAt: now.toISOString(), signedCommand: Buffer.from(signedCommand).toString('base64') }, now.toISOString());
    this.log.info({ job: jobId, host: h.hostId, command: commandId }, 'patch command signed');
    this.commandEvent(jobId, h.hostId, commandId, 'sent');
    return { jobId, hostId: h.hostId, signedCommand };
  }

  /** Commands sent to a host and unanswered: resent when it reconnects (the executor's ledger refuses a second run). */
  outstanding(hostId: string): Dispatch[] {
    return this.jobs.outstanding(hostId).map((o) => ({ jobId: o.jobId, hostId, signedCommand: Buffer.from(o.host.signedCommand ?? '', 'base64') }));
  }

  /** A host's report. Only the host the command was for can answer it. */
  report(agentId: string, commandId: string, r: CommandReport): void {
    const found = this.jobs.commandHost(commandId);
    if (!found) throw new VigilError('NOT_FOUND', `no command ${commandId}`);
    if (found.host.hostId !== agentId) throw new VigilError('INVALID_INPUT', `command ${commandId} was not sent to ${agentId}`);
    if (found.host.state !== 'sent') return;
    const iso = this.now().toISOString();
    const ok = r.outcome === 'completed' && r.verified;
    const detail = ok ? `verified at inventory seq ${r.inventorySeq}` : `${r.outcome}${r.reason ? `: ${r.reason}` : ''}${r.verified ? '' : ' (not verified)'}`;
    this.jobs.updateJobHost(found.jobId, agentId, { state: ok ? 'verified' : 'failed', finishedAt: iso, detail, result: r }, iso);
    this.log.info({ job: found.jobId, host: agentId, outcome: r.outcome, verified: r.verified }, 'patch command reported');
    this.commandEvent(found.jobId, agentId, commandId, ok ? 'verified' : 'failed', detail);
  }

  /**
   * The close reason of a finding that disappears while a patch command for its
   * package is outstanding on the host: the job fixed it.
   */
  reasonFor(hostId: string): (closed: StoredFinding) => CloseReason | undefined {
    const out = this.jobs.outstanding(hostId);
    if (out.length === 0) return () => undefined;
    return (closed) => {
      const hit = out.find((o) => o.host.packages.some((p) => p.name === closed.finding.component.name));
      return hit ? `patched-by-job:${hit.jobId}` : undefined;
    };
  }

  view(jobId: number): JobView {
    const j = this.jobs.job(jobId);
    if (!j) throw new VigilError('NOT_FOUND', `no patch job ${jobId}`);
    const counts = { pending: 0, sent: 0, verified: 0, failed: 0, skipped: 0 };
    for (const h of j.hosts) counts[h.state]++;
    const closed: JobView['closed'] = [];
    for (const h of j.hosts) {
      for (const f of this.fleet.findings({ hostId: h.hostId, status: 'CLOSED' })) {
        if (f.closeReason !== `patched-by-job:${jobId}` || !f.closedAt) continue;
        closed.push({
          hostId: h.hostId,
          finding: f.id,
          vulnerability: f.finding.vulnerability,
          package: f.finding.component.name,
          closedAt: f.closedAt,
          remediationSeconds: Math.round((Date.parse(f.closedAt) - Date.parse(f.firstSeen)) / 1000),
        });
      }
    }
    return { job: j.job, hosts: j.hosts, counts, closed };
  }

  list(): JobRecord[] {
    return this.jobs.jobs();
  }
}
