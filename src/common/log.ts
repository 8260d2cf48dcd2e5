import { pino, type Logger } from 'pino';

/**
 * One pino root for the process. Logs go to stderr so that command output on stdout
 * stays machine-readable. Secrets are redacted by path wherever they appear.
 */
let root: Logger | undefined;

export function rootLogger(): Logger {
  if (!root) {
    root = pino(
      {
        name: 'vigil',
        level: 'warn',
        redact: {
          paths: ['token', '*.token', 'key', '*.key', 'privateKey', '*.privateKey', 'signature', '*.signature', 'authorization', '*.authorization'],
          censor: '[redacted]',
        },
      },
      pino.destination({ fd: 2, sync: true }),
    );
  }
  return root;
}

export function setLogLevel(level: string): void {
  rootLogger().level = level;
}

export function componentLogger(component: string, extra: Record<string, string> = {}): Logger {
  return rootLogger().child({ component, ...extra });
}

/**
 * The field vocabulary of Vigil's logs: every key a log line carries is one of these,
 * with this meaning, in every module (test/common/log-fields.test.ts checks the source
 * and the lines of a real fleet run). Snake case; ids are plain strings.
 */
export const LOG_FIELDS: Readonly<Record<string, string>> = {
  // pino's own
  level: 'pino: severity level',
  time: 'pino: epoch milliseconds',
  pid: 'pino: process id',
  hostname: 'pino: the name of the machine that logs',
  name: 'pino: always "vigil"',
  msg: 'the message',
  // the core vocabulary
  component: 'the part of Vigil that logs: agent, server, executor, matcher…',
  host: 'a host (agent) id',
  host_name: 'the name an agent reports for its machine',
  purl: 'a package URL',
  vuln: 'a vulnerability id (CVE, GHSA…)',
  job: 'a patch job id',
  command: 'a signed command id',
  duration_ms: 'how long something took, in milliseconds',
  err: 'an error (pino serialises message and stack)',
  // what is logged about them
  path: 'a file or directory path',
  file: 'a file path',
  dir: 'a directory path',
  root: 'the scanned or managed root directory',
  state_dir: 'a state directory',
  collector: 'an inventory collector',
  collectors: 'how many collectors ran',
  components: 'how many components',
  packages: 'package names (or how many)',
  findings: 'how many findings',
  hosts: 'how many hosts',
  seq: 'an inventory sequence number',
  base_seq: 'the sequence number a delta applies to',
  epoch: 'an agent epoch',
  reason: 'why, in words',
  outcome: 'how a command ended',
  verified: 'whether verification succeeded',
  state: 'a lifecycle state',
  from: 'the state a transition leaves',
  to: 'the state a transition enters',
  kind: 'a message kind',
  manager: 'a package manager',
  action: 'a command action',
  argv: 'the fixed argument vector of a child process',
  exit_code: 'a child process exit code',
  signal: 'the signal a child process died of',
  timed_out: 'whether a child process ran out of time',
  before: 'versions before a change',
  after: 'versions after a change',
  serial: 'a delegation serial',
  min_serial: 'the lowest delegation serial accepted',
  attempt: 'a retry attempt number',
  wait_ms: 'how long until the next attempt, in milliseconds',
  listen: 'an address listened on',
  peer: 'the remote address of a connection',
  conn: 'a connection number',
  method: 'an RPC or worker method',
  api: 'the HTTP API address',
  grpc: 'the gRPC address',
  ports: 'how many listening ports',
  problem: 'a problem record',
  detail: 'more about the message',
  server: 'the server address',
  code: 'an error code of the catalog',
  grpc_status: 'a gRPC status name',
  bytes: 'a size in bytes',
  offset: 'a byte offset',
  torn: 'whether a ledger line was cut short',
  commands: 'how many commands',
  entries: 'how many entries',
  starts: 'how many start points',
  files: 'how many files',
  skipped_dirs: 'how many directories a walk left out (caches, skipped directories)',
  gems: 'how many gems',
  lockfile_version: 'a lockfile format version',
  runtime_target: 'a .NET runtime target',
  added: 'how many components were added',
  removed: 'how many components were removed',
  acked: 'the sequence number acknowledged',
  pending: 'how many messages wait for an acknowledgement',
  chunks: 'how many snapshot chunks',
  last: 'the last sequence number sent',
  opened: 'how many findings opened',
  reopened: 'how many findings reopened',
  closed: 'how many findings closed',
  delivered: 'how many events were delivered',
  imports: 'how many advisory imports were applied',
  reenrolled: 'whether a machine enrolled again',
  route: 'an event route id',
  event: 'an event id (the EventBridge-shaped event, not a log line)',
  delivery: 'an event delivery id (one event to one route)',
  target: 'the kind of target an event route sends to: webhook, jsonl, syslog',
  http_status: 'the HTTP status a peer answered with',
};

/** Names that mean a vocabulary field, refused so one datum has one name. */
export const LOG_FIELD_SYNONYMS: Readonly<Record<string, string>> = {
  agent: 'host', agentId: 'host', hostId: 'host', host_id: 'host', commandId: 'command', jobId: 'job', error: 'err',
  cve: 'vuln', vulnerability: 'vuln', ms: 'duration_ms', elapsed: 'duration_ms', durationMs: 'duration_ms', waitMs: 'wait_ms', baseSeq: 'base_seq',
};
