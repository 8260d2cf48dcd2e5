/**
 * Patch jobs and their per-host state, kept beside the fleet so a job survives a
 * server restart exactly where it was. Like FleetStore, the store reads no clock and
 * keeps the rollout spec and command results as the caller gives them.
 */

export type JobStateName = 'running' | 'paused' | 'halted' | 'cancelled' | 'completed';
export type JobHostStateName = 'pending' | 'sent' | 'verified' | 'failed' | 'skipped';

export interface PatchPackage {
  name: string;
  /** The version that fixes the findings: the host must reach at least this. */
  fixedVersion: string;
}

export interface JobHostInput {
  hostId: string;
  wave: number;
  manager: string;
  packages: PatchPackage[];
  /** Finding ids the job means to close on this host. */
  findings: string[];
}

export interface JobHostRecord extends JobHostInput {
  state: JobHostStateName;
  commandId?: string;
  sentAt?: string;
  finishedAt?: string;
  detail?: string;
  /** The signed command sent, base64: resent unchanged when the host reconnects. */
  signedCommand?: string;
  /** The host's signed report, as received. */
  result?: unknown;
}

export interface JobRecord {
  id: number;
  /** Selector and rollout spec as created. */
  spec: Record<string, unknown>;
  state: JobStateName;
  reason?: string;
  createdAt: string;
  updatedAt: string;
}

export interface JobStore {
  createJob(spec: Record<string, unknown>, hosts: JobHostInput[], now: string): number;
  job(id: number): { job: JobRecord; hosts: JobHostRecord[] } | undefined;
  jobs(filter?: { state?: JobStateName[] }): JobRecord[];
  setJobState(id: number, state: JobStateName, now: string, reason?: string): void;
  updateJobHost(id: number, hostId: string, patch: Partial<Pick<JobHostRecord, 'state' | 'commandId' | 'sentAt' | 'finishedAt' | 'detail' | 'signedCommand' | 'result'>>, now: string): void;
  /** The job host a command id belongs to. */
  commandHost(commandId: string): { jobId: number; host: JobHostRecord } | undefined;
  /** Commands sent to a host and not answered yet. */
  outstanding(hostId: string): Array<{ jobId: number; host: JobHostRecord }>;
}
