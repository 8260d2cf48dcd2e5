import { createHmac, timingSafeEqual } from 'node:crypto';
import { vigilVersion } from '../../../common/version.js';
import type { VigilEvent } from '../../events.js';
import { renderPayload } from '../templates.js';
import { onlyFields, PAYLOAD_TEMPLATES, stringField, targetError, type PayloadTemplate, type SendOutcome, type Target, type TargetOptions, type WebhookSpec } from './types.js';

/**
 * POSTs each event as JSON, signed: `Vigil-Timestamp` (unix seconds) and
 * `Vigil-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<body>">` with the route's
 * secret, and `Vigil-Event-Id` for the receiver to drop a repeat (delivery is at
 * least once). A 2xx delivers; a 4xx other than 408 and 429 kills the delivery (the
 * receiver refuses it as it is); anything else, a timeout or a refused connection is
 * tried again, no earlier than a Retry-After says. Redirects are not followed.
 */

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]']);
const MIN_SECRET = 16;

export function parseWebhook(o: Record<string, unknown>): Omit<WebhookSpec, 'secret'> & { secret?: string } {
  onlyFields(o, ['type', 'url', 'secret', 'template']);
  const raw = stringField(o, 'url', 2048);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw targetError('url', `"${raw}" is not a URL`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) {
    throw targetError('url', `must be https:// (plain http:// only to 127.0.0.1 or [::1]), not ${url.protocol}//${url.host}`);
  }
  if (url.username || url.password) throw targetError('url', 'must not carry credentials: the signature authenticates Vigil');
  const template = o.template ?? 'raw';
  if (!PAYLOAD_TEMPLATES.includes(template as PayloadTemplate)) throw targetError('template', `must be one of ${PAYLOAD_TEMPLATES.join(', ')}`);
  const spec: Omit<WebhookSpec, 'secret'> & { secret?: string } = { type: 'webhook', url: url.toString(), template: template as PayloadTemplate };
  if (o.secret !== undefined) {
    const secret = stringField(o, 'secret', 512);
    if (secret.length < MIN_SECRET) throw targetError('secret', `must be at least ${MIN_SECRET} characters`);
    spec.secret = secret;
  }
  return spec;
}

export function signatureOf(secret: string, timestamp: number | string, body: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

/**
 * For receivers: whether `header` (`v1=<hex>`, several comma-separated while a
 * secret is rotated) signs `timestamp` and `body` with `secret`, and the timestamp is
 * within `toleranceSeconds` of `now` (a replayed request is refused after that).
 */
export function verifySignature(
  secret: string,
  timestamp: string | number,
  body: string | Buffer,
  header: string | undefined,
  now: Date = new Date(),
  toleranceSeconds = 300,
): boolean {
  const ts = String(timestamp);
  if (!header || !/^\d{1,12}$/.test(ts)) return false;
  if (Math.abs(now.getTime() / 1000 - Number(ts)) > toleranceSeconds) return false;
  const want = Buffer.from(signatureOf(secret, ts, body), 'hex');
  return header.split(',').some((part) => {
    const m = /^\s*v1=([0-9a-f]{64})\s*$/i.exec(part);
    return m !== null && timingSafeEqual(Buffer.from(m[1]!.toLowerCase(), 'hex'), want);
  });
}

/** Retry-After as seconds or an HTTP date, in milliseconds from `now`. */
export function retryAfterMs(value: string | null, now: Date): number | undefined {
  if (!value) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

/** At most `max` bytes of a response body, the rest left unread. */
async function readCapped(res: Response, max: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < max) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return Buffer.concat(chunks).subarray(0, max).toString('utf8');
}

export function webhookTarget(spec: WebhookSpec, opts: TargetOptions): Target {
  return {
    kind: 'webhook',
    async send(event: VigilEvent): Promise<SendOutcome> {
      const body = JSON.stringify(renderPayload(spec.template, event));
      const now = opts.now();
      const ts = Math.floor(now.getTime() / 1000);
      let res: Response;
      let text: string;
      try {
        res = await fetch(spec.url, {
          method: 'POST',
          redirect: 'manual',
          signal: AbortSignal.timeout(opts.timeoutMs),
          headers: {
            'content-type': 'application/json',
            'user-agent': `vigil/${vigilVersion()}`,
            'vigil-event-id': event.id,
            'vigil-timestamp': String(ts),
            'vigil-signature': `v1=${signatureOf(spec.secret, ts, body)}`,
          },
          body,
        });
        text = await readCapped(res, opts.maxResponseBytes);
      } catch (err) {
        const e = err as Error & { cause?: { code?: string; message?: string } };
        const why = e.name === 'TimeoutError' ? `no answer within ${opts.timeoutMs} ms` : e.cause?.code ?? e.cause?.message ?? e.message;
        return { ok: false, retry: true, error: `POST ${spec.url}: ${why}` };
      }
      if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status };
      const snippet = text.replace(/\s+/g, ' ').trim().slice(0, 200);
      const error = `POST ${spec.url}: HTTP ${res.status}${res.status >= 300 && res.status < 400 ? ' (redirects are not followed)' : ''}${snippet ? `: ${snippet}` : ''}`;
      const permanent = res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429;
      const after = retryAfterMs(res.headers.get('retry-after'), now);
      return { ok: false, retry: !permanent, error, status: res.status, ...(after !== undefined && !permanent ? { retryAfterMs: after } : {}) };
    },
  };
}
