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
