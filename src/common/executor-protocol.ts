/**
 * The agent ↔ executor protocol over the executor's Unix socket (DESIGN.md §6).
 * One request per connection: the agent writes one frame, the executor answers
 * with one frame and closes. A frame is a 4-byte big-endian length and that many
 * bytes of UTF-8 JSON. The executor trusts nothing in the request: it re-verifies
 * the signed command itself.
 */

/** Largest request frame: a signed command (64 KiB) in base64 plus its JSON wrapper. */
export const MAX_EXECUTOR_REQUEST_BYTES = 96 * 1024;
/** Largest reply frame: the result with its bounded output tail. */
export const MAX_EXECUTOR_REPLY_BYTES = 256 * 1024;

export interface ExecutorRequest {
  /** The signed command exactly as the server sent it, base64. */
  signedCommand: string;
}

export interface PackageVersion {
  name: string;
  /** Absent when the package is not installed. */
  version?: string;
}

export interface ExecutorResult {
  /** From the verified command; absent when the command was refused before its payload could be trusted. */
  commandId?: string;
  jobId?: string;
  hostId?: string;
  /** refused: never reached the package manager; failed: ran and exited non-zero or timed out; completed: ran and exited 0. */
  outcome: 'refused' | 'failed' | 'completed';
  /** For refusals, the fixed reason code; for failures, what went wrong. */
  reason?: string;
  detail?: string;
  exitCode?: number | null;
  /** Last bytes of the package manager's combined output. */
  outputTail?: string;
  /** Installed versions of the command's packages before and after the run. */
  before: PackageVersion[];
  after: PackageVersion[];
  /** True only when every package is installed at or above its fixed version after the run. */
  verified: boolean;
  startedAt?: string;
  finishedAt?: string;
}

export function encodeFrame(value: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length);
  return Buffer.concat([head, body]);
}
