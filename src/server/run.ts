import { X509Certificate, createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { VigilError } from '../common/errors.js';
import { createSecretFile } from '../common/secret-files.js';
import { componentLogger } from '../common/log.js';
import { AgentStreams, CONNECT_SERVICE, type StreamLimits } from './connect-service.js';
import { ENROLL_SERVICE, enrollHandler, MAX_ENROLL_MESSAGE_BYTES, stopGrpcServer } from './enroll-service.js';
import { createApi } from './http-api.js';
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
  /** HTTP API listener. */
  apiHost: string;
  apiPort: number;
  advisoryPollMs?: number;
  limits?: Partial<StreamLimits>;
  log?: Logger;
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

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const log = opts.log ?? componentLogger('server');
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const pki = await loadServerPki(opts.pkiDir);
  const token = apiToken(opts.dataDir);
  const worker = await FleetWorker.start({
    fleetDb: path.join(opts.dataDir, 'fleet.db'),
    advisoryDb: path.join(opts.dataDir, 'advisories.db'),
    advisoryPollMs: opts.advisoryPollMs ?? 2000,
    keysDir: path.join(opts.dataDir, 'keys'),
    eventsFile: path.join(opts.dataDir, 'events.jsonl'),
  });
  worker.on('rematched', (hosts: string[], reason: string) => log.info({ hosts: hosts.length, reason }, 'hosts re-matched'));
  const streams = new AgentStreams(worker.remote, pki.caCertPem, { ...(opts.limits ? { limits: opts.limits } : {}), log: componentLogger('streams') });
  streams.onInventory((agentId, r) => {
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
  streams.onReport(() => void tick());

  const server = new grpc.Server(grpcServerOptions(Math.max(streams.limits.maxMessageBytes, MAX_ENROLL_MESSAGE_BYTES)));
  server.addService(ENROLL_SERVICE, {
    Enroll: enrollHandler(pki, async (agentId, hostname, certPem) => {
      const fp = createHash('sha256').update(new X509Certificate(certPem).raw).digest('hex');
      await worker.remote.enrolled(agentId, hostname, fp);
      log.info({ agent: agentId, hostname }, 'agent enrolled');
    }),
  });
  server.addService(CONNECT_SERVICE, { Connect: streams.handler() });
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
  const creds = grpc.experimental.createCertificateProviderServerCredentials(files, files, false);
  const grpcPort = await new Promise<number>((resolve, reject) => {
    server.bindAsync(hostPort(opts.grpcHost, opts.grpcPort), creds, (err, port) => (err ? reject(new VigilError('UNAVAILABLE', `cannot listen on ${hostPort(opts.grpcHost, opts.grpcPort)}: ${err.message}`)) : resolve(port)));
  });
  // The server's own listeners receive the loaded certificates on the next tick; then
  // ours go, so the provider stops watching when the server does.
  await new Promise((r) => setImmediate(r));
  files.removeCaCertificateListener(onCa);
  files.removeIdentityCertificateListener(onIdentity);

  const api = createApi({ fleet: worker.remote, streams, token, log: componentLogger('api'), onJobChange: () => void tick() });
  const apiPort = await new Promise<number>((resolve, reject) => {
    api.once('error', (err) => reject(new VigilError('UNAVAILABLE', `cannot listen on ${hostPort(opts.apiHost, opts.apiPort)}: ${err.message}`)));
    api.listen(opts.apiPort, opts.apiHost, () => resolve((api.address() as { port: number }).port));
  });
  log.info({ grpc: hostPort(opts.grpcHost, grpcPort), api: hostPort(opts.apiHost, apiPort) }, 'server listening');

  let stopping: Promise<void> | undefined;
  const stop = (graceMs = 5000): Promise<void> =>
    (stopping ??= (async () => {
      clearInterval(rollouts);
      const drained = stopGrpcServer(server, graceMs);
      // Agent streams never end on their own; cancel them so the drain can finish.
      for (const id of streams.connected()) streams.disconnect(id, 'server shutting down');
      await drained;
      await closeHttp(api);
      await worker.stop();
    })());
  return { grpcPort, apiPort, streams, worker, stop };
}

function closeHttp(api: http.Server): Promise<void> {
  return new Promise((resolve) => {
    api.close(() => resolve());
    api.closeAllConnections();
  });
}
