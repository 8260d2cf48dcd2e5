import { VigilError } from '../../../common/errors.js';
import type { VigilEvent } from '../../events.js';

/** What a route sends events to: one kind per file beside this one, chosen by `type`. */
export type TargetSpec = WebhookSpec | JsonlSpec | SyslogSpec;
export type TargetKind = TargetSpec['type'];

export type PayloadTemplate = 'raw' | 'slack' | 'teams';
export const PAYLOAD_TEMPLATES: readonly PayloadTemplate[] = ['raw', 'slack', 'teams'];

export interface WebhookSpec {
  type: 'webhook';
  /** HTTPS, or plain HTTP to the loopback address only. */
  url: string;
  /** The HMAC-SHA256 key of the `Vigil-Signature` header. */
  secret: string;
  template: PayloadTemplate;
}

export interface JsonlSpec {
  type: 'jsonl';
  /** A file inside the hub's file root, relative to it or absolute. */
  path: string;
}

export interface SyslogSpec {
  type: 'syslog';
  host: string;
  port: number;
  protocol: 'udp' | 'tcp';
  /** RFC 5424 facility, 0-23 (16 = local0). */
  facility: number;
  appName: string;
}

/**
 * How one send ended. `retry: false` means the peer refused it for good (a 4xx, an
 * event too large for the transport): the delivery is dead at once.
 */
export type SendOutcome = { ok: true; status?: number } | { ok: false; retry: boolean; error: string; status?: number; retryAfterMs?: number };

export interface Target {
  readonly kind: TargetKind;
  send(event: VigilEvent): Promise<SendOutcome>;
}

export interface TargetOptions {
  /** The directory `jsonl` targets write under. */
  fileRoot: string;
  now: () => Date;
  /** A webhook's whole exchange, and a syslog TCP connection, time out after this. */
  timeoutMs: number;
  /** At most this much of a webhook's response body is read. */
  maxResponseBytes: number;
}

export const DEFAULT_TARGET_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024;

export function targetError(field: string, what: string): VigilError {
  return new VigilError('INVALID_INPUT', `event target /${field}: ${what}`);
}

/** Refuses fields a target kind does not have, so a typo is not silently ignored. */
export function onlyFields(o: Record<string, unknown>, allowed: readonly string[]): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) throw targetError(k, `unknown field for a ${String(o.type)} target (it takes ${allowed.join(', ')})`);
}

export function stringField(o: Record<string, unknown>, key: string, max: number): string {
  const v = o[key];
  if (typeof v !== 'string' || v.length === 0) throw targetError(key, 'must be a non-empty string');
  if (v.length > max) throw targetError(key, `is longer than ${max} characters`);
  if (/[\u0000-\u001f\u007f]/.test(v)) throw targetError(key, 'holds a control character');
  return v;
}
