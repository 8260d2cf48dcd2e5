/**
 * The error catalog: every error Vigil raises on purpose has a code here, with the
 * CLI exit status it maps to. Every command uses these statuses and no others (exit 1
 * means only "findings at or above --fail-on"); the README lists them. Expected bad
 * input inside a scanned tree is reported as a Problem instead.
 */
export const ERROR_CODES = {
  USAGE: { exit: 2, description: 'bad command-line usage' },
  NOT_FOUND: { exit: 3, description: 'a path or object named by the user does not exist' },
  INVALID_INPUT: { exit: 4, description: 'an input (file, configuration, message) is not in the expected format' },
  NOT_COVERED: { exit: 5, description: 'the advisory data does not cover the target, so no answer can be given' },
  IO: { exit: 6, description: 'a file could not be read or written' },
  UNAVAILABLE: { exit: 7, description: 'a service, port, lock or peer needed for the command is not available' },
  CONFLICT: { exit: 8, description: 'the current state does not allow the request' },
  INTERNAL: { exit: 70, description: 'an unexpected internal failure' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The exit status of a scan that ran and found something at or above --fail-on. */
export const EXIT_FINDINGS = 1;

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
