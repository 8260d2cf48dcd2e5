/**
 * Patch jobs and their per-host state, kept beside the fleet so a job survives a
 * server restart exactly where it was. Like FleetStore, the store reads no clock and
 * keeps the rollout spec and command results as the caller gives them.
 */

import type { JobHostState, JobState } from '../common/lifecycle/patch-job.js';

/** The states of common/lifecycle/patch-job.ts: the store refuses any change its tables do not allow. */
export type JobStateName = JobState;
export type JobHostStateName = JobHostState;

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
  /** Ends a job in a final state, its hosts never sent becoming `skipped` with `skipDetail`, in one transaction. */
  endJob(id: number, state: JobStateName, now: string, reason: string | undefined, skipDetail: string): void;
  updateJobHost(id: number, hostId: string, patch: Partial<Pick<JobHostRecord, 'state' | 'commandId' | 'sentAt' | 'finishedAt' | 'detail' | 'signedCommand' | 'result'>>, now: string): void;
  /** The job host a command id belongs to. */
  commandHost(commandId: string): { jobId: number; host: JobHostRecord } | undefined;
  /** Commands sent to a host and not answered yet (`sent` or `running`), in any job. */
  outstanding(hostId: string): Array<{ jobId: number; jobState: JobStateName; host: JobHostRecord }>;
  /** The given hosts' places in running or paused jobs. */
  activeOn(hostIds: string[]): Array<{ jobId: number; jobState: JobStateName; hostId: string; hostState: JobHostStateName }>;
}
