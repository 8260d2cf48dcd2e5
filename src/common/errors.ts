/**
 * The error catalog: every error Vigil raises on purpose has a code here, with the
 * CLI exit status it maps to, the gRPC status an agent sees for it, the HTTP status
 * the API answers with, and whether the same request may succeed later unchanged
 * (`retryable`). Every boundary maps through it: the gRPC services send
 * `grpcStatusOf(err)` with the code's name in the trailers, the API answers
 * `httpStatusOf(err)` with the name in the body, and the agent and the CLI read a
 * status (and the name beside it) back with `codeOfGrpc` / `codeOfHttp`. Every
 * command uses these exit statuses and no others (exit 1 means only "findings at or
 * above --fail-on"); the README lists them. Expected bad input inside a scanned tree
 * is reported as a Problem instead.
 */

/**
 * gRPC status numbers. They are part of the gRPC protocol (doc/statuscodes.md), the
 * same in every implementation, so common/ keeps them as numbers and the catalog
 * names them: no code loaded by every CLI command needs the gRPC library, and the
 * catalog reads as the statuses' names. test/common/errors.test.ts holds them to
 * @grpc/grpc-js's `status`.
 */
export const GRPC_STATUS = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;

export type GrpcStatusName = keyof typeof GRPC_STATUS;

interface CatalogEntry {
  exit: number;
  grpc: GrpcStatusName;
  http: number;
  retryable: boolean;
  description: string;
}

export const ERROR_CODES = {
  USAGE: { exit: 2, grpc: 'INVALID_ARGUMENT', http: 400, retryable: false, description: 'bad command-line usage' },
  NOT_FOUND: { exit: 3, grpc: 'NOT_FOUND', http: 404, retryable: false, description: 'a path or object named by the user does not exist' },
  INVALID_INPUT: { exit: 4, grpc: 'INVALID_ARGUMENT', http: 400, retryable: false, description: 'an input (file, configuration, message) is not in the expected format' },
  NOT_COVERED: { exit: 5, grpc: 'FAILED_PRECONDITION', http: 422, retryable: false, description: 'the advisory data does not cover the target, so no answer can be given' },
  // Retrying does not help: a full disk or a permission needs someone to act.
  IO: { exit: 6, grpc: 'INTERNAL', http: 500, retryable: false, description: 'a file could not be read or written' },
  UNAVAILABLE: { exit: 7, grpc: 'UNAVAILABLE', http: 503, retryable: true, description: 'a service, port, lock or peer needed for the command is not available' },
  CONFLICT: { exit: 8, grpc: 'FAILED_PRECONDITION', http: 409, retryable: false, description: 'the current state does not allow the request' },
  UNAUTHENTICATED: { exit: 9, grpc: 'UNAUTHENTICATED', http: 401, retryable: false, description: 'a credential (API token, enrolment token, client certificate) is missing, wrong, expired or spent' },
  PERMISSION_DENIED: { exit: 10, grpc: 'PERMISSION_DENIED', http: 403, retryable: false, description: 'the caller is known but may not do this (a revoked host, a replaced certificate)' },
  INTERNAL: { exit: 70, grpc: 'INTERNAL', http: 500, retryable: false, description: 'an unexpected internal failure' },
} as const satisfies Record<string, CatalogEntry>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The exit status of a scan that ran and found something at or above --fail-on. */
export const EXIT_FINDINGS = 1;

/** The trailer (gRPC metadata) key that carries the code's name beside its status. */
export const GRPC_CODE_KEY = 'vigil-error-code';

/**
 * Where several codes share a status, the code the status alone reads back as (a
 * peer that sends no code name: another gRPC implementation, a proxy, grpc-js itself).
 */
const SHARED_GRPC: Partial<Record<GrpcStatusName, ErrorCode>> = { INVALID_ARGUMENT: 'INVALID_INPUT', FAILED_PRECONDITION: 'CONFLICT', INTERNAL: 'INTERNAL' };
const SHARED_HTTP: Partial<Record<number, ErrorCode>> = { 400: 'INVALID_INPUT', 500: 'INTERNAL' };

/**
 * The gRPC statuses that are no code's status: protocol-level, never sent for a
 * VigilError. `sent` ones the Connect stream sends itself; the others come only from
 * gRPC's transport or a peer that is not Vigil. Each reads back as a code.
 */
export const GRPC_PROTOCOL_STATUSES = {
  RESOURCE_EXHAUSTED: { sent: true, readsAs: 'UNAVAILABLE', means: 'an agent sent faster than its message rate, or a message over the size limit' },
  ABORTED: { sent: true, readsAs: 'UNAVAILABLE', means: 'a newer stream of the same agent replaced this one' },
  CANCELLED: { sent: false, readsAs: 'UNAVAILABLE', means: 'the call was cancelled: the peer or the channel went away' },
  DEADLINE_EXCEEDED: { sent: false, readsAs: 'UNAVAILABLE', means: "no answer within the caller's deadline" },
  UNIMPLEMENTED: { sent: false, readsAs: 'UNAVAILABLE', means: 'the peer does not serve this method: not a Vigil server, or another version' },
  UNKNOWN: { sent: false, readsAs: 'INTERNAL', means: 'a handler failed without a status' },
  DATA_LOSS: { sent: false, readsAs: 'INTERNAL', means: 'not sent by Vigil' },
  ALREADY_EXISTS: { sent: false, readsAs: 'CONFLICT', means: 'not sent by Vigil' },
  OUT_OF_RANGE: { sent: false, readsAs: 'INVALID_INPUT', means: 'not sent by Vigil' },
} as const satisfies Partial<Record<GrpcStatusName, { sent: boolean; readsAs: ErrorCode; means: string }>>;

export type GrpcProtocolStatus = keyof typeof GRPC_PROTOCOL_STATUSES;
/** The protocol-level statuses Vigil's own Connect stream sends. */
export type SentProtocolStatus = { [K in GrpcProtocolStatus]: (typeof GRPC_PROTOCOL_STATUSES)[K]['sent'] extends true ? K : never }[GrpcProtocolStatus];

export class VigilError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'VigilError';
    this.code = code;
  }
  get exitCode(): number {
    return ERROR_CODES[this.code].exit;
  }
  get retryable(): boolean {
    return ERROR_CODES[this.code].retryable;
  }
}

export function isErrorCode(x: unknown): x is ErrorCode {
  return typeof x === 'string' && Object.hasOwn(ERROR_CODES, x);
}

/** The code of any thrown value: anything but a VigilError is INTERNAL. */
export function errorCodeOf(err: unknown): ErrorCode {
  return err instanceof VigilError ? err.code : 'INTERNAL';
}

export function grpcStatusOf(err: unknown): number {
  return GRPC_STATUS[ERROR_CODES[errorCodeOf(err)].grpc];
}

export function httpStatusOf(err: unknown): number {
  return ERROR_CODES[errorCodeOf(err)].http;
}

/** The name of a gRPC status number, for messages and logs. */
export function grpcStatusName(status: number): string {
  return Object.entries(GRPC_STATUS).find(([, n]) => n === status)?.[0] ?? String(status);
}

/**
 * The code a received gRPC status stands for: the code named beside it when that
 * code has this very status, else the status's own code (see SHARED_GRPC and
 * GRPC_PROTOCOL_STATUSES); a number gRPC does not define is INTERNAL.
 */
export function codeOfGrpc(status: number, named?: unknown): ErrorCode {
  const name = grpcStatusName(status) as GrpcStatusName;
  if (isErrorCode(named) && ERROR_CODES[named].grpc === name) return named;
  if (name in GRPC_PROTOCOL_STATUSES) return GRPC_PROTOCOL_STATUSES[name as GrpcProtocolStatus].readsAs;
  return SHARED_GRPC[name] ?? only((e) => e.grpc === name) ?? 'INTERNAL';
}

/** The code of an error a gRPC call failed with: its status and the code name in its trailers. */
export function codeOfGrpcError(err: { code?: unknown; metadata?: { get(key: string): unknown[] } }): ErrorCode {
  if (typeof err.code !== 'number') return 'INTERNAL';
  return codeOfGrpc(err.code, err.metadata?.get(GRPC_CODE_KEY)[0]);
}

/**
 * The code an HTTP error answer stands for: the code named in its body when that code
 * has this very status, else the status's own code; any other status (a proxy, a
 * server that is not Vigil) is UNAVAILABLE when 5xx and INVALID_INPUT otherwise.
 */
export function codeOfHttp(status: number, named?: unknown): ErrorCode {
  if (isErrorCode(named) && ERROR_CODES[named].http === status) return named;
  return SHARED_HTTP[status] ?? only((e) => e.http === status) ?? (status >= 500 ? 'UNAVAILABLE' : 'INVALID_INPUT');
}

/** The one code whose entry matches, if exactly one does. */
function only(match: (e: CatalogEntry) => boolean): ErrorCode | undefined {
  const hits = (Object.keys(ERROR_CODES) as ErrorCode[]).filter((c) => match(ERROR_CODES[c]));
  return hits.length === 1 ? hits[0] : undefined;
}

/** One line describing any thrown value, for CLI output and problems. */
export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code && typeof code === 'string' && err.message.startsWith(code)) return err.message;
    return code && typeof code === 'string' && !(err instanceof VigilError) ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}
