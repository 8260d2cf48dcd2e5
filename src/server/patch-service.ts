import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { VigilError } from '../common/errors.js';
import type { ExecutorResult } from '../common/executor-protocol.js';
import { canJobTransition, isActiveJob, isOutstanding, jobOutcome, type JobHostState } from '../common/lifecycle/patch-job.js';
import { componentLogger } from '../common/log.js';
import type { PackageManager } from '../common/signing.js';
import type { CloseReason } from '../store/fleet-store.js';
import type { HostFinding, ServerFleetStore } from './fleet-types.js';
import type { JobHostInput, JobHostRecord, JobRecord, JobStateName, JobStore } from '../store/job-store.js';
import { resource, type EventSink } from './events.js';
import { nextStep, planWaves, validateSpec, type RolloutSpec } from './rollout.js';
import { type CommandSigner } from './command-signer.js';
import { planHosts, previewHost, type PatchSelection, type PreviewHost } from './patch-plan.js';

export { type CommandSigner, loadSigner, signerFromDir } from './command-signer.js';

/** What `vigil patch create` asks for: which findings to fix, and how to roll out. */
export interface PatchRequest extends PatchSelection {
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

/**
 * Patch jobs on top of the fleet: selection of hosts and packages from findings,
 * rollout steps, signed commands, reports, and the close reason of the findings a
 * job fixed. Runs in the matcher worker with the stores.
 */
export class PatchService {
  private readonly log: Logger;
  /** Jobs waiting for a usable signing key, with the problem last logged. */
  private readonly unsigned = new Map<number, string>();

  constructor(
    private readonly fleet: ServerFleetStore,
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

  private commandEvent(jobId: number, hostId: string, commandId: string | undefined, state: JobHostState, detail?: string): void {
    this.emit(
      'Patch Command State Change',
      [resource.job(jobId), resource.host(hostId), ...(commandId ? [resource.command(commandId)] : [])],
      { jobId, hostId, ...(commandId ? { commandId } : {}), state, ...(detail ? { detail } : {}) },
      this.now().toISOString(),
    );
  }

  /** The signer, refused (CONFLICT) when it is missing or hosts would refuse what it signs now. */
  private usableSigner(managers?: readonly string[]): CommandSigner {
    const signer = this.signer();
    if (!signer) throw new VigilError('CONFLICT', 'the server has no signing key: run "vigil keys rotate --root-key ROOT.key --dir <data dir>/keys" where the root key is kept');
    const problem = signer.problem(this.now(), managers);
    if (problem) throw new VigilError('CONFLICT', problem);
    return signer;
  }

  create(req: PatchRequest): { jobId: number; hosts: JobHostInput[] } {
    validateSpec(req.rollout);
    const now = this.now();
    if (req.rollout.deadline !== undefined && Date.parse(req.rollout.deadline) <= now.getTime()) {
      throw new VigilError('INVALID_INPUT', `deadline ${req.rollout.deadline} is in the past (now ${now.toISOString()})`);
    }
    this.usableSigner();
    const inputs = planHosts(this.fleet, req);
    if (inputs.length === 0) throw new VigilError('NOT_FOUND', 'no active finding with a known fix matches the selection');
    // Two jobs on one host would race their package manager runs and confuse which job fixed what.
    const busy = this.jobs.activeOn(inputs.map((h) => h.hostId))[0];
    if (busy) {
      throw new VigilError(
        'CONFLICT',
        `host ${busy.hostId} is already in patch job ${busy.jobId}, which is ${busy.jobState}: wait for it to end or run "vigil patch cancel ${busy.jobId}"`,
      );
    }
    this.usableSigner(inputs.map((h) => h.manager));
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

  /** What `create` would make of the request now, with each host's package manager steps; creates nothing and signs nothing. */
  preview(req: PatchRequest): { hosts: PreviewHost[]; waves: number; problem?: string } {
    validateSpec(req.rollout);
    const inputs = planHosts(this.fleet, req);
    const waves = planWaves(
      inputs.map((h) => h.hostId),
      req.rollout,
    );
    for (const h of inputs) h.wave = waves.find((w) => w.hostId === h.hostId)!.wave;
    const busy = this.jobs.activeOn(inputs.map((h) => h.hostId))[0];
    const signer = this.signer();
    const problem = !inputs.length
      ? 'no active finding with a known fix matches the selection'
      : busy
      ? `host ${busy.hostId} is already in patch job ${busy.jobId}, which is ${busy.jobState}`
      : !signer
        ? 'the server has no signing key'
        : signer.problem(this.now(), inputs.map((h) => h.manager));
    const hosts = inputs.map((h) => previewHost(h, this.fleet.host(h.hostId)?.hostname ?? h.hostId));
    return { hosts, waves: new Set(inputs.map((h) => h.wave)).size, ...(problem ? { problem } : {}) };
  }

  running(): number[] {
    return this.jobs.jobs({ state: ['running'] }).map((j) => j.id);
  }

  /** An operator's pause, resume or cancel; refused (CONFLICT) when the job's state does not allow it. */
  setState(jobId: number, state: Extract<JobStateName, 'running' | 'paused' | 'cancelled'>): JobRecord {
    const j = this.jobs.job(jobId);
    if (!j) throw new VigilError('NOT_FOUND', `no patch job ${jobId}`);
    if (!canJobTransition(j.job.state, state)) throw new VigilError('CONFLICT', `patch job ${jobId} is ${j.job.state}; it cannot become ${state}`);
    const iso = this.now().toISOString();
    if (state === 'cancelled') {
      const reason = 'cancelled by an operator';
      this.jobs.endJob(jobId, state, iso, reason, 'not sent: the job was cancelled');
      for (const h of j.hosts) if (h.state === 'pending') this.commandEvent(jobId, h.hostId, undefined, 'skipped', 'not sent: the job was cancelled');
      this.jobEvent(jobId, state, reason);
    } else {
      this.jobs.setJobState(jobId, state, iso);
      this.jobEvent(jobId, state);
    }
    this.log.info({ job: jobId, state }, 'patch job state changed');
    return this.jobs.job(jobId)!.job;
  }

  /** Ends a running job; its hosts never sent are skipped. */
  private end(jobId: number, pending: string[], state: JobStateName, reason: string | undefined): void {
    const iso = this.now().toISOString();
    const skip = `not sent: the job ${state === 'failed' ? 'failed' : 'ended'} first`;
    this.jobs.endJob(jobId, state, iso, reason, skip);
    for (const h of pending) this.commandEvent(jobId, h, undefined, 'skipped', skip);
    this.jobEvent(jobId, state, reason);
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
          this.end(jobId, j.hosts.filter((h) => h.state === 'pending').map((h) => h.hostId), 'failed', s.reason);
          this.log.warn({ job: jobId, reason: s.reason }, 'patch job failed');
          return out;
        case 'complete': {
          const o = jobOutcome(j.hosts, spec.failureThreshold);
          this.end(jobId, [], o.state, o.reason);
          this.log[o.state === 'completed' ? 'info' : 'warn']({ job: jobId, state: o.state, reason: o.reason }, 'patch job ended');
          return out;
        }
        case 'miss':
          for (const h of s.hostIds) {
            this.jobs.updateJobHost(jobId, h, { state: 'skipped', detail: s.reason }, iso);
            this.commandEvent(jobId, h, undefined, 'skipped', s.reason);
          }
          continue;
        case 'send': {
          // Hosts would refuse what a revoked or expired key signs and count as failed: wait for a rotation instead.
          const signer = this.signer();
          const problem = signer ? signer.problem(now, s.hostIds.map((id) => j.hosts.find((h) => h.hostId === id)!.manager)) : 'the server has no signing key';
          if (problem) {
            if (this.unsigned.get(jobId) !== problem) this.log.warn({ job: jobId, problem }, 'patch commands not signed');
            this.unsigned.set(jobId, problem);
            return out;
          }
          this.unsigned.delete(jobId);
          for (const hostId of s.hostIds) out.push(this.dispatch(jobId, j.hosts.find((h) => h.hostId === hostId)!, (j.job.spec as unknown as PatchRequest).commandTtlSeconds ?? 3600));
          continue;
        }
      }
    }
    return out;
  }

  private dispatch(jobId: number, h: JobHostRecord, ttl: number): Dispatch {
    const signer = this.usableSigner([h.manager]);
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

  /** A command the server handed to the host's connected stream: the host has it now. */
  delivered(jobId: number, hostId: string): void {
    const h = this.jobs.job(jobId)?.hosts.find((x) => x.hostId === hostId);
    if (h?.state !== 'sent') return;
    const iso = this.now().toISOString();
    this.jobs.updateJobHost(jobId, hostId, { state: 'running' }, iso);
    this.commandEvent(jobId, hostId, h.commandId, 'running');
  }

  /**
   * Commands of running or paused jobs sent to a host and unanswered, for its stream to
   * send on reconnect (the executor's ledger refuses a second run); each is `running`
   * from then on.
   */
  outstanding(hostId: string): Dispatch[] {
    const out = this.jobs.outstanding(hostId).filter((o) => isActiveJob(o.jobState));
    for (const o of out) this.delivered(o.jobId, hostId);
    return out.map((o) => ({ jobId: o.jobId, hostId, signedCommand: Buffer.from(o.host.signedCommand ?? '', 'base64') }));
  }

  /** A host's report. Only the host the command was for can answer it. */
  report(agentId: string, commandId: string, r: CommandReport): void {
    const found = this.jobs.commandHost(commandId);
    if (!found) throw new VigilError('NOT_FOUND', `no command ${commandId}`);
    if (found.host.hostId !== agentId) throw new VigilError('INVALID_INPUT', `command ${commandId} was not sent to ${agentId}`);
    if (!isOutstanding(found.host.state)) return;
    // A host that answers had the command, even when its delivery was not recorded.
    if (found.host.state === 'sent') this.delivered(found.jobId, agentId);
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
  reasonFor(hostId: string): (closed: HostFinding) => CloseReason | undefined {
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
    const counts = { pending: 0, sent: 0, running: 0, verified: 0, failed: 0, skipped: 0 };
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
