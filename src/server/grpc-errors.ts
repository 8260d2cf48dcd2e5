import * as grpc from '@grpc/grpc-js';
import { GRPC_CODE_KEY, GRPC_STATUS, VigilError, describeError, errorCodeOf, grpcStatusOf, type ErrorCode, type SentProtocolStatus } from '../common/errors.js';

/**
 * The status a gRPC caller gets for an error: the catalog's status for its code
 * (anything but a VigilError is INTERNAL), the code's name in the trailers, and the
 * error's one line as details.
 */
export function grpcStatusObject(err: unknown): grpc.StatusObject {
  const metadata = new grpc.Metadata();
  metadata.set(GRPC_CODE_KEY, errorCodeOf(err));
  return { code: grpcStatusOf(err), details: describeError(err), metadata };
}

/** The same as an Error, for a unary call's callback. */
export function grpcServiceError(err: unknown): grpc.ServiceError {
  const st = grpcStatusObject(err);
  return Object.assign(new Error(st.details), st);
}

export function grpcStatusFor(code: ErrorCode, details: string): grpc.StatusObject {
  return grpcStatusObject(new VigilError(code, details));
}

/** A protocol-level status (see GRPC_PROTOCOL_STATUSES): no code name travels with it. */
export function protocolStatus(status: SentProtocolStatus, details: string): grpc.StatusObject {
  return { code: GRPC_STATUS[status], details, metadata: new grpc.Metadata() };
}
