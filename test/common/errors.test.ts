import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ERROR_CODES,
  GRPC_PROTOCOL_STATUSES,
  GRPC_STATUS,
  VigilError,
  codeOfGrpc,
  codeOfGrpcError,
  codeOfHttp,
  errorCodeOf,
  grpcStatusName,
  grpcStatusOf,
  httpStatusOf,
  type ErrorCode,
} from '../../src/common/errors.js';
import { grpcServiceError } from '../../src/server/grpc-errors.js';

/** The catalog as it is meant to be: a change to src/common/errors.ts must change this table too. */
const EXPECTED: Record<ErrorCode, { exit: number; grpc: grpc.status; http: number; retryable: boolean }> = {
  USAGE: { exit: 2, grpc: grpc.status.INVALID_ARGUMENT, http: 400, retryable: false },
  NOT_FOUND: { exit: 3, grpc: grpc.status.NOT_FOUND, http: 404, retryable: false },
  INVALID_INPUT: { exit: 4, grpc: grpc.status.INVALID_ARGUMENT, http: 400, retryable: false },
  NOT_COVERED: { exit: 5, grpc: grpc.status.FAILED_PRECONDITION, http: 422, retryable: false },
  IO: { exit: 6, grpc: grpc.status.INTERNAL, http: 500, retryable: false },
  UNAVAILABLE: { exit: 7, grpc: grpc.status.UNAVAILABLE, http: 503, retryable: true },
  CONFLICT: { exit: 8, grpc: grpc.status.FAILED_PRECONDITION, http: 409, retryable: false },
  UNAUTHENTICATED: { exit: 9, grpc: grpc.status.UNAUTHENTICATED, http: 401, retryable: false },
  PERMISSION_DENIED: { exit: 10, grpc: grpc.status.PERMISSION_DENIED, http: 403, retryable: false },
  INTERNAL: { exit: 70, grpc: grpc.status.INTERNAL, http: 500, retryable: false },
};

/** What a bare status (no code name beside it) reads back as, where codes share it. */
const BARE: Partial<Record<ErrorCode, ErrorCode>> = { USAGE: 'INVALID_INPUT', NOT_COVERED: 'CONFLICT', IO: 'INTERNAL' };
const BARE_HTTP: Partial<Record<ErrorCode, ErrorCode>> = { USAGE: 'INVALID_INPUT', IO: 'INTERNAL' };

const codes = Object.keys(ERROR_CODES) as ErrorCode[];

describe('the error catalog', () => {
  it('holds exactly the expected codes, in the order the README lists them', () => {
    expect(codes).toEqual(Object.keys(EXPECTED));
    expect(new Set(codes.map((c) => ERROR_CODES[c].exit)).size).toBe(codes.length);
  });

  it('numbers gRPC statuses as @grpc/grpc-js does, every one of them', () => {
    const lib = Object.entries(grpc.status).filter(([, v]) => typeof v === 'number');
    expect(Object.fromEntries(lib)).toEqual(GRPC_STATUS);
    for (const [name, n] of lib) expect(grpcStatusName(n as number)).toBe(name);
    expect(grpcStatusName(99)).toBe('99');
  });

  it.each(codes)('%s: exit status, gRPC status, HTTP status, retryable, and back', (code) => {
    const want = EXPECTED[code];
    const err = new VigilError(code, 'x');
    expect(err.exitCode).toBe(want.exit);
    expect(err.retryable).toBe(want.retryable);
    expect(ERROR_CODES[code].retryable).toBe(want.retryable);
    expect(grpcStatusOf(err)).toBe(want.grpc);
    expect(httpStatusOf(err)).toBe(want.http);
    expect(errorCodeOf(err)).toBe(code);
    // With its name beside the status (trailer, JSON body) every code reads back as itself.
    expect(codeOfGrpc(grpcStatusOf(err), code)).toBe(code);
    expect(codeOfHttp(httpStatusOf(err), code)).toBe(code);
    // The status alone reads back as the code it belongs to, or the one code it is shared with.
    expect(codeOfGrpc(want.grpc)).toBe(BARE[code] ?? code);
    expect(codeOfHttp(want.http)).toBe(BARE_HTTP[code] ?? code);
    expect(GRPC_STATUS[ERROR_CODES[codeOfGrpc(want.grpc)].grpc]).toBe(want.grpc);
    expect(ERROR_CODES[codeOfHttp(want.http)].http).toBe(want.http);
  });

  it('a code name that does not match the status is not believed, nor a name that is no code', () => {
    expect(codeOfGrpc(grpc.status.UNAVAILABLE, 'INVALID_INPUT')).toBe('UNAVAILABLE');
    expect(codeOfHttp(503, 'INVALID_INPUT')).toBe('UNAVAILABLE');
    expect(codeOfHttp(404, 'toString')).toBe('NOT_FOUND');
    expect(codeOfGrpc(grpc.status.INVALID_ARGUMENT, '__proto__')).toBe('INVALID_INPUT');
    expect(codeOfHttp(400, 42)).toBe('INVALID_INPUT');
  });

  it('anything but a VigilError is INTERNAL at every boundary', () => {
    for (const err of [new TypeError('bug'), 'text', undefined]) {
      expect(errorCodeOf(err)).toBe('INTERNAL');
      expect(grpcStatusOf(err)).toBe(grpc.status.INTERNAL);
      expect(httpStatusOf(err)).toBe(500);
    }
  });

  it('every gRPC status but OK reads back as a code; the protocol-level ones are no code’s status', () => {
    const catalogStatuses = new Set(codes.map((c) => ERROR_CODES[c].grpc));
    for (const name of Object.keys(GRPC_PROTOCOL_STATUSES)) expect(catalogStatuses.has(name as never), name).toBe(false);
    for (const [name, n] of Object.entries(GRPC_STATUS)) {
      if (name === 'OK') continue;
      expect(catalogStatuses.has(name as never) || name in GRPC_PROTOCOL_STATUSES, `${name} is neither a code's status nor a protocol status`).toBe(true);
      expect(codes).toContain(codeOfGrpc(n));
    }
    expect(codeOfGrpc(grpc.status.RESOURCE_EXHAUSTED)).toBe('UNAVAILABLE');
    expect(codeOfGrpc(grpc.status.ABORTED)).toBe('UNAVAILABLE');
    expect(codeOfGrpc(grpc.status.DEADLINE_EXCEEDED)).toBe('UNAVAILABLE');
    expect(codeOfGrpc(99)).toBe('INTERNAL');
    expect(codeOfGrpcError({ code: undefined })).toBe('INTERNAL');
  });

  it('an HTTP status no code has reads as UNAVAILABLE when 5xx (a proxy), else INVALID_INPUT', () => {
    expect(codeOfHttp(502)).toBe('UNAVAILABLE');
    expect(codeOfHttp(504, 'NOT_FOUND')).toBe('UNAVAILABLE');
    expect(codeOfHttp(405)).toBe('INVALID_INPUT');
    expect(codeOfHttp(413)).toBe('INVALID_INPUT');
  });
});

describe('every code across a real gRPC call', () => {
  const PATH = '/vigil.test.Errors/Fail';
  let server: grpc.Server;
  let client: grpc.Client;

  beforeAll(async () => {
    server = new grpc.Server();
    server.addService(
      { Fail: { path: PATH, requestStream: false, responseStream: false, requestSerialize: (b: Buffer) => b, requestDeserialize: (b: Buffer) => b, responseSerialize: (b: Buffer) => b, responseDeserialize: (b: Buffer) => b } },
      {
        Fail: (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => {
          const code = call.request.toString();
          cb(grpcServiceError(code === 'bug' ? new TypeError('a bug') : new VigilError(code as ErrorCode, `refused: ${code}`)));
        },
      },
    );
    const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
    client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  });

  afterAll(() => {
    client?.close();
    server?.forceShutdown();
  });

  function call(what: string): Promise<grpc.ServiceError> {
    return new Promise((resolve, reject) =>
      client.makeUnaryRequest(PATH, (b: Buffer) => b, (b: Buffer) => b, Buffer.from(what), (err) => (err ? resolve(err) : reject(new Error('the call succeeded')))),
    );
  }

  it.each(codes)('%s arrives with its status, its details and its name, and reads back as itself', async (code) => {
    const err = await call(code);
    expect(err.code).toBe(EXPECTED[code].grpc);
    expect(err.details).toBe(`refused: ${code}`);
    expect(codeOfGrpcError(err)).toBe(code);
  });

  it('a failure that is no VigilError arrives as INTERNAL', async () => {
    const err = await call('bug');
    expect(err.code).toBe(grpc.status.INTERNAL);
    expect(codeOfGrpcError(err)).toBe('INTERNAL');
  });
});
