import { X509Certificate, createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { VigilError } from '../common/errors.js';
import { createSecretFile } from '../common/secret-files.js';
import { DataDirLock } from '../store/data-dir-lock.js';
import { componentLogger } from '../common/log.js';
import { AgentStreams, CONNECT_SERVICE, type StreamLimits } from './connect-service.js';
import { ENROLL_SERVICE, enrollHandler, MAX_ENROLL_MESSAGE_BYTES, stopGrpcServer } from './enroll-service.js';
import type { FastifyInstance } from 'fastify';
import { buildApi } from './api/app.js';
import { LiveEvents } from './live-events.js';
import { resource } from './events.js';
import { ApiTokenStore } from './api-tokens.js';
import { AuditLog } from './audit-log.js';
import { ServerMetrics } from './metrics.js';
import { TokenStore } from './tokens.js';
import { PKI_FILES, loadServerPki } from './pki.js';
import { FleetWorker } from './worker-client.js';

export const API_TOKEN_FILE = 'api.token';

export interface ServerOptions {
  /** Holds fleet.db, advisories.db, api.token. */
  dataDir: string;
  pkiDir: string;
  /** gRPC listener (agents): host and port; port 0 picks one. */
  grpcHost: string;
  grpcPort: number;
  /** HTTP API listener: plaintext only on a loopback address unless apiTls is given; elsewhere HTTPS. */
  apiHost: string;
  apiPort: number;
  /** The operator's certificate and key (PEM files) for the API; without them a non-loopback API serves the server's own certificate. */
  apiTls?: { certFile: string; keyFile: string };
  advisoryPollMs?: number;
  limits?: Partial<StreamLimits>;
  log?: Logger;
  /** The data directory's lock, when the caller took it before preparing the directory; released by stop(). */
  lock?: DataDirLock;
  /** Days a finding may stay open per severity, as `--sla` gives them (`critical=7,high=30`). */
  sla?: string;
  /** How often an idle live stream (GET .../events) is sent a comment line; default 15 s. */
  liveHeartbeatMs?: number;
}

export interface RunningServer {
  grpcPort: number;
  apiPort: number;
  streams: AgentStreams;
  worker: FleetWorker;
  stop(graceMs?: number): Promise<void>;
}

/** The API bearer token, created (0600) on first use. */
export function apiToken(dataDir: string): string {
  const file = path.join(dataDir, API_TOKEN_FILE);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    createSecretFile(file, randomBytes(32).toString('base64url') + '\n');
  }
  const token = readFileSync(file, 'utf8').trim();
  if (token.length < 16) throw new VigilError('INVALID_INPUT', `${file} holds no usable API token`);
  return token;
}

/** The reason a bind failed, in words: grpc-js wraps the socket error in its own. */
function listenReason(message: string): string {
  if (/EADDRINUSE/.test(message)) return 'the address is already in use (EADDRINUSE)';
  if (/EACCES/.test(message)) return 'permission denied (EACCES)';
  if (/EADDRNOTAVAIL/.test(message)) return 'no such local address (EADDRNOTAVAIL)';
  return message;
}

function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * Settings for thousands of long-lived agent streams: each agent holds one HTTP/2
 * connection with one stream, so per-connection concurrency stays small and the
 * session memory bound keeps one misbehaving peer from holding large buffers.
 * Keepalive pings find dead peers (a host powered off never sends FIN).
 */
function grpcServerOptions(maxMessageBytes: number): grpc.ServerOptions {
  return {
    'grpc.max_receive_message_length': maxMessageBytes,
    'grpc.max_send_message_length': 4 * 1024 * 1024,
    'grpc.max_concurrent_streams': 4,
    'grpc-node.max_session_memory': 16,
    'grpc.keepalive_time_ms': 120_000,
    'grpc.keepalive_timeout_ms': 20_000,
    'grpc.max_connection_idle_ms': 30 * 60_000,
  };
}

/**
 * Starts the server: takes the data directory's lock, opens the stores in the worker,
 * binds gRPC and the API. Anything that fails on the way (a port in use, a locked data
 * directory, unreadable certificates) undoes what was started and rejects, so the
 * process can exit with one line instead of running half a server.
 */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const log = opts.log ?? componentLogger('server');
  // grpc-js writes its own diagnostics to stderr; Vigil reports failures itself, so they go to the log at debug.
  const grpcLog = componentLogger('grpc');
  grpc.setLogger({ error: (...args: unknown[]) => grpcLog.debug(args.map(String).join(' ')) });
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const pki = await loadServerPki(opts.pkiDir);
  const token = apiToken(opts.dataDir);
  const lock = opts.lock ?? DataDirLock.acquire(opts.dataDir);
  const undo: Array<() => Promise<void> | void> = [() => lock.release()];
  try {
    return await startLocked(opts, log, pki, token, lock, undo);
  } catch (err) {
    for (const u of undo.reverse()) await Promise.resolve(u()).catch(() => undefined);
    throw err;
  }
}

async function startLocked(
  opts: ServerOptions,
  log: Logger,
  pki: Awaited<ReturnType<typeof loadServerPki>>,
  token: string,
  lock: DataDirLock,
  undo: Array<() => Promise<void> | void>,
): Promise<RunningServer> {
  const worker = await FleetWorker.start({
    fleetDb: path.join(opts.dataDir, 'fleet.db'),
    advisoryDb: path.join(opts.dataDir, 'advisories.db'),
    advisoryPollMs: opts.advisoryPollMs ?? 2000,
    keysDir: path.join(opts.dataDir, 'keys'),
    eventsFile: path.join(opts.dataDir, 'events.jsonl'),
    ...(opts.sla ? { sla: opts.sla } : {}),
  });
  undo.push(() => worker.stop());
  worker.on('rematched', (hosts: string[], reason: string) => log.info({ hosts: hosts.length, reason }, 'hosts re-matched'));
  const streams = new AgentStreams(worker.remote, pki.caCertPem, { ...(opts.limits ? { limits: opts.limits } : {}), log: componentLogger('streams') });
  const live = new LiveEvents(undefined, undefined, opts.liveHeartbeatMs);
  worker.on('emitted', (m: { detailType: string; resources: string[]; detail: Record<string, unknown>; time: string }) => live.publish(m.detailType, m.resources, m.detail, m.time));
  streams.onInventory((agentId, r) => {
    const seq = r.reply?.kind === 'ack' ? r.reply.seq : undefined;
    const c = r.changes;
    live.publish('Inventory Change', [resource.host(agentId)], { hostId: agentId, ...(seq !== undefined ? { seq } : {}), opened: c?.opened.length ?? 0, reopened: c?.reopened.length ?? 0, closed: c?.closed.length ?? 0 });
    if (r.changes && (r.changes.opened.length || r.changes.closed.length || r.changes.reopened.length)) {
      log.info({ host: agentId, opened: r.changes.opened.length, reopened: r.changes.reopened.length, closed: r.changes.closed.length }, 'findings changed');
    }
  });

  // Patch rollouts: every second, and at once when a host reports, each running job
  // takes its next step in the worker; the signed commands it returns go out here.
  let ticking = false;
  const tick = async (): Promise<void> => {
    if (ticking) return;
    ticking = true;
    try {
      for (const jobId of await worker.remote.patchRunning()) {
        for (const d of await worker.remote.patchStep(jobId)) {
          const sent = streams.sendCommand(d.hostId, d.signedCommand);
          if (sent) await worker.remote.patchDelivered(jobId, d.hostId);
          log.info({ job: jobId, host: d.hostId, delivered: sent }, 'patch command dispatched');
        }
      }
    } catch (err) {
      log.error({ err }, 'patch rollout step failed');
    } finally {
      ticking = false;
    }
  };
  const rollouts = setInterval(() => void tick(), 1000);
  undo.push(() => clearInterval(rollouts));
  streams.onReport(() => void tick());

  const server = new grpc.Server(grpcServerOptions(Math.max(streams.limits.maxMessageBytes, MAX_ENROLL_MESSAGE_BYTES)));
  server.addService(ENROLL_SERVICE, {
    Enroll: enrollHandler(pki, {
      hostFor: async (machineId) => (await worker.remote.enrolment(machineId)).hostId,
      enrolled: async ({ agentId, machineId, hostname, certPem }) => {
        const fp = createHash('sha256').update(new X509Certificate(certPem).raw).digest('hex');
        const { reenrolled } = await worker.remote.enrolled({ agentId, hostname, certFingerprint: fp, ...(machineId ? { machineId } : {}) });
        // A stream still open with the certificate this one replaces ends now.
        if (reenrolled) streams.disconnect(agentId, `agent ${agentId} was enrolled again from its machine; this certificate is replaced`);
        log.info({ host: agentId, host_name: hostname, reenrolled }, 'agent enrolled');
      },
    }),
  });
  server.addService(CONNECT_SERVICE, { Connect: streams.handler() });
  undo.push(() => server.forceShutdown());
  // One port for both RPCs: the handshake asks for a client certificate but cannot
  // require one, because an enrolling agent has none yet. Connect refuses a stream
  // without a certificate this CA issued (AgentStreams.handler), Enroll needs a token.
  // Certificates are re-read hourly, so a renewed server certificate needs no restart.
  const files = new grpc.experimental.FileWatcherCertificateProvider({
    certificateFile: path.join(opts.pkiDir, PKI_FILES.serverCert),
    privateKeyFile: path.join(opts.pkiDir, PKI_FILES.serverKey),
    caCertificateFile: path.join(opts.pkiDir, PKI_FILES.caCert),
    refreshIntervalMs: 3_600_000,
  });
  // The provider reads the files asynchronously and the server refuses handshakes until
  // it has them: wait for the first load, so "listening" means ready.
  let ca = false;
  let identity = false;
  let loaded: () => void = () => {};
  const onCa = (u: unknown): void => {
    ca = u !== null;
    if (ca && identity) loaded();
  };
  const onIdentity = (u: unknown): void => {
    identity = u !== null;
    if (ca && identity) loaded();
  };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new VigilError('INVALID_INPUT', `cannot load the TLS certificates in ${opts.pkiDir}`)), 30_000);
    loaded = () => {
      clearTimeout(timer);
      resolve();
    };
    files.addCaCertificateListener(onCa);
    files.addIdentityCertificateListener(onIdentity);
  });
  // Until the server has its certificates, our listeners keep the provider's refresh timer alive.
  undo.push(() => {
    files.removeCaCertificateListener(onCa);
    files.removeIdentityCertificateListener(onIdentity);
    // grpc-js leaves its own listener on the provider when a bind fails (the HTTP/2
    // server it made never emits 'close'), which would keep the hourly refresh timer,
    // and so a failed server process, alive.
    (files as unknown as { refreshTimer?: NodeJS.Timeout | null }).refreshTimer?.unref();
  });
  const creds = grpc.experimental.createCertificateProviderServerCredentials(files, files, false);
  const grpcPort = await new Promise<number>((resolve, reject) => {
    server.bindAsync(hostPort(opts.grpcHost, opts.grpcPort), creds, (err, port) => (err ? reject(new VigilError('UNAVAILABLE', `cannot listen on ${hostPort(opts.grpcHost, opts.grpcPort)}: ${listenReason(err.message)}`)) : resolve(port)));
  });
  // The server's own listeners receive the loaded certificates on the next tick; then
  // ours go, so the provider stops watching when the server does.
  await new Promise((r) => setImmediate(r));
  files.removeCaCertificateListener(onCa);
  files.removeIdentityCertificateListener(onIdentity);

  const tls = apiTlsFor(opts);
  const api = await buildApi({
    fleet: worker.remote,
    streams,
    token,
    tokens: new ApiTokenStore(opts.dataDir),
    audit: new AuditLog(opts.dataDir),
    enrolment: new TokenStore(opts.pkiDir),
    log: componentLogger('api'),
    onJobChange: () => void tick(),
    live,
    metrics: new ServerMetrics(),
    ...(tls ? { tls } : {}),
  });
  undo.push(() => closeHttp(api));
  const apiPort = await listenApi(api, opts.apiHost, opts.apiPort);
  log.info({ grpc: hostPort(opts.grpcHost, grpcPort), api: hostPort(opts.apiHost, apiPort) }, 'server listening');
  lock.announce({ api: `${tls ? 'https' : 'http'}://${apiConnectHost(opts.apiHost)}:${apiPort}`, grpc: hostPort(opts.grpcHost, grpcPort) });

  let stopping: Promise<void> | undefined;
  const stop = (graceMs = 5000): Promise<void> =>
    (stopping ??= (async () => {
      clearInterval(rollouts);
      const drained = stopGrpcServer(server, graceMs);
      // Agent streams never end on their own; cancel them so the drain can finish.
      for (const id of streams.connected()) streams.disconnect(id, 'server shutting down', 'UNAVAILABLE');
      await drained;
      await closeHttp(api);
      await worker.stop();
      lock.release();
    })());
  return { grpcPort, apiPort, streams, worker, stop };
}

/** Where a client on this machine reaches an API bound to HOST (a wildcard means loopback). */
function apiConnectHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

export interface LocalApi {
  url: string;
  token: string;
  stop(): Promise<void>;
}

/**
 * The server's HTTP API over a data directory no server is running on: the same
 * worker and routes as `vigil server run`, on an ephemeral loopback port, with no
 * gRPC listener, so `vigil hosts` and `vigil findings` answer from the fleet
 * database after `vigil up --once` exactly as a running server would. It holds the
 * data directory's lock while it runs, so no server can start under it.
 */
export async function startLocalApi(dataDir: string): Promise<LocalApi> {
  const lock = DataDirLock.acquire(dataDir);
  const undo: Array<() => Promise<void> | void> = [() => lock.release()];
  try {
    const token = apiToken(dataDir);
    const pki = await loadServerPki(path.join(dataDir, 'pki'));
    const worker = await FleetWorker.start({
      fleetDb: path.join(dataDir, 'fleet.db'),
      advisoryDb: path.join(dataDir, 'advisories.db'),
      advisoryPollMs: 3_600_000,
      keysDir: path.join(dataDir, 'keys'),
      eventsFile: path.join(dataDir, 'events.jsonl'),
    });
    undo.push(() => worker.stop());
    const streams = new AgentStreams(worker.remote, pki.caCertPem, { log: componentLogger('streams') });
    const api = await buildApi({ fleet: worker.remote, streams, token, tokens: new ApiTokenStore(dataDir), audit: new AuditLog(dataDir), log: componentLogger('api') });
    undo.push(() => closeHttp(api));
    const port = await listenApi(api, '127.0.0.1', 0);
    let stopping: Promise<void> | undefined;
    return {
      url: `http://127.0.0.1:${port}`,
      token,
      stop: () =>
        (stopping ??= (async () => {
          for (const u of undo.reverse()) await Promise.resolve(u()).catch(() => undefined);
        })()),
    };
  } catch (err) {
    for (const u of undo.reverse()) await Promise.resolve(u()).catch(() => undefined);
    throw err;
  }
}

function closeHttp(api: FastifyInstance): Promise<void> {
  return api.close();
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/** The API's certificate: the operator's, or on a non-loopback address the server's own (the agents' CA signed it). */
function apiTlsFor(opts: ServerOptions): { cert: string; key: string } | undefined {
  const files = opts.apiTls ?? (isLoopback(opts.apiHost) ? undefined : { certFile: path.join(opts.pkiDir, PKI_FILES.serverCert), keyFile: path.join(opts.pkiDir, PKI_FILES.serverKey) });
  if (!files) return undefined;
  const read = (f: string): string => {
    try {
      return readFileSync(f, 'utf8');
    } catch (err) {
      throw new VigilError('INVALID_INPUT', `cannot read the API's TLS file ${f} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  };
  return { cert: read(files.certFile), key: read(files.keyFile) };
}

async function listenApi(api: FastifyInstance, host: string, port: number): Promise<number> {
  try {
    await api.listen({ host, port });
  } catch (err) {
    throw new VigilError('UNAVAILABLE', `cannot listen on ${hostPort(host, port)}: ${listenReason((err as Error).message)}`);
  }
  const addr = api.server.address();
  return typeof addr === 'object' && addr ? addr.port : port;
}
