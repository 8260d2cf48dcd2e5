/**
 * The error catalog: every error Vigil raises on purpose has a code here, with the
 * CLI exit status it maps to. Expected bad input is reported as a Problem instead.
 */
export const ERROR_CODES = {
  USAGE: { exit: 2, description: 'bad command-line usage' },
  NOT_FOUND: { exit: 3, description: 'a path or object named by the user does not exist' },
  INVALID_INPUT: { exit: 4, description: 'an input file is not in the expected format' },
  IO: { exit: 5, description: 'a file could not be read or written' },
  CONFIG: { exit: 6, description: 'configuration is invalid' },
  INTERNAL: { exit: 70, description: 'an unexpected internal failure' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

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
