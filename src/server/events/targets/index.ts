import { randomBytes } from 'node:crypto';
import { jsonlTarget, parseJsonl } from './jsonl.js';
import { parseSyslog, syslogTarget } from './syslog.js';
import { targetError, type Target, type TargetKind, type TargetOptions, type TargetSpec } from './types.js';
import { parseWebhook, webhookTarget } from './webhook.js';

export const TARGET_KINDS: readonly TargetKind[] = ['webhook', 'jsonl', 'syslog'];

/**
 * Validates a route's target (`{"type": "webhook" | "jsonl" | "syslog", …}`) and
 * fills in its defaults; a webhook given no secret gets a random one. Throws
 * VigilError INVALID_INPUT naming the field that is wrong.
 */
export function parseTarget(json: unknown, ctx: { fileRoot: string }): TargetSpec {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw targetError('', 'must be an object with a "type"');
  const o = json as Record<string, unknown>;
  switch (o.type) {
    case 'webhook': {
      const spec = parseWebhook(o);
      return { ...spec, secret: spec.secret ?? randomBytes(32).toString('hex') };
    }
    case 'jsonl':
      return parseJsonl(o, ctx.fileRoot);
    case 'syslog':
      return parseSyslog(o);
    default:
      throw targetError('type', `must be one of ${TARGET_KINDS.join(', ')}, not ${JSON.stringify(o.type)}`);
  }
}

export function createTarget(spec: TargetSpec, opts: TargetOptions): Target {
  switch (spec.type) {
    case 'webhook':
      return webhookTarget(spec, opts);
    case 'jsonl':
      return jsonlTarget(spec, opts);
    case 'syslog':
      return syslogTarget(spec, opts);
  }
}

/** The target as shown to API clients: a webhook's secret is never shown again after creation. */
export function redactTarget(spec: TargetSpec): Record<string, unknown> {
  return spec.type === 'webhook' ? { ...spec, secret: '[redacted]' } : { ...spec };
}
