import { createSocket } from 'node:dgram';
import { isIP, connect } from 'node:net';
import { hostname } from 'node:os';
import type { VigilEvent } from '../../events.js';
import { findingDetailOf } from '../finding-event.js';
import { onlyFields, stringField, targetError, type SendOutcome, type SyslogSpec, type Target, type TargetOptions } from './types.js';

/**
 * Sends each event as one RFC 5424 syslog message whose MSG is the event's JSON:
 * over UDP one datagram per event (RFC 5426), over TCP with octet counting
 * (RFC 6587 §3.4.1, "LEN SP MSG"), one connection per event. The MSGID is the
 * detail-type without spaces; a finding's severity sets the syslog severity.
 */

/** The largest UDP payload over IPv4. */
const MAX_DATAGRAM = 65_507;
const DEFAULT_FACILITY = 16;

export function parseSyslog(o: Record<string, unknown>): SyslogSpec {
  onlyFields(o, ['type', 'host', 'port', 'protocol', 'facility', 'appName']);
  const host = stringField(o, 'host', 253);
  if (!isIP(host) && !/^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*\.?$/.test(host)) throw targetError('host', `"${host}" is not a host name or IP address`);
  const port = o.port;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65_535) throw targetError('port', 'must be a port number from 1 to 65535');
  const protocol = o.protocol ?? 'udp';
  if (protocol !== 'udp' && protocol !== 'tcp') throw targetError('protocol', 'must be udp or tcp');
  const facility = o.facility ?? DEFAULT_FACILITY;
  if (typeof facility !== 'number' || !Number.isInteger(facility) || facility < 0 || facility > 23) throw targetError('facility', 'must be a syslog facility number from 0 to 23');
  const appName = o.appName === undefined ? 'vigil' : stringField(o, 'appName', 48);
  if (!/^[!-~]+$/.test(appName)) throw targetError('appName', 'must be printable ASCII without spaces');
  return { type: 'syslog', host, port, protocol, facility, appName };
}

const SEVERITY: Record<string, number> = { critical: 2, high: 3, medium: 4, low: 5 };

/** Printable ASCII without spaces, at most `max` characters, or the NILVALUE. */
const header = (s: string, max: number): string => s.replace(/[^!-~]/g, '').slice(0, max) || '-';

export function syslogMessage(spec: SyslogSpec, event: VigilEvent, now: Date): string {
  const severity = SEVERITY[findingDetailOf(event)?.finding.severity ?? ''] ?? 6;
  const t = new Date(event.time);
  const stamp = (Number.isNaN(t.getTime()) ? now : t).toISOString();
  return `<${spec.facility * 8 + severity}>1 ${stamp} ${header(hostname(), 255)} ${spec.appName} ${process.pid} ${header(event['detail-type'], 32)} - ${JSON.stringify(event)}`;
}

function sendUdp(spec: SyslogSpec, msg: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const sock = createSocket(isIP(spec.host) === 6 ? 'udp6' : 'udp4');
    sock.once('error', (err) => {
      sock.close();
      reject(err);
    });
    sock.send(msg, spec.port, spec.host, (err) => {
      sock.close();
      if (err) reject(err);
      else resolve();
    });
  });
}

function sendTcp(spec: SyslogSpec, msg: Buffer, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host: spec.host, port: spec.port });
    sock.setTimeout(timeoutMs, () => sock.destroy(new Error(`no progress within ${timeoutMs} ms`)));
    sock.once('error', reject);
    sock.once('connect', () => sock.end(Buffer.concat([Buffer.from(`${msg.length} `), msg])));
    // Closed without an error: every byte was written and the peer saw our FIN.
    sock.once('close', (hadError) => {
      if (!hadError) resolve();
    });
  });
}

export function syslogTarget(spec: SyslogSpec, opts: TargetOptions): Target {
  return {
    kind: 'syslog',
    async send(event: VigilEvent): Promise<SendOutcome> {
      const msg = Buffer.from(syslogMessage(spec, event, opts.now()));
      const where = `syslog ${spec.protocol}://${isIP(spec.host) === 6 ? `[${spec.host}]` : spec.host}:${spec.port}`;
      if (spec.protocol === 'udp' && msg.length > MAX_DATAGRAM) return { ok: false, retry: false, error: `${where}: the message is ${msg.length} bytes, more than one UDP datagram holds (${MAX_DATAGRAM}); use tcp` };
      try {
        await (spec.protocol === 'udp' ? sendUdp(spec, msg) : sendTcp(spec, msg, opts.timeoutMs));
        return { ok: true };
      } catch (err) {
        return { ok: false, retry: true, error: `${where}: ${(err as Error).message}` };
      }
    },
  };
}
