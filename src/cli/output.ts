
/** A one-line progress indicator on a terminal; silent when stderr is not a TTY. */
export function progressLine(enabled = process.stderr.isTTY === true): { update(phase: string, detail: string): void; done(): void } {
  if (!enabled) return { update() {}, done() {} };
  const frames = ['|', '/', '-', '\\'];
  let i = 0;
  return {
    update(phase, detail) {
      const text = `${frames[i++ % frames.length]} ${phase}: ${detail}`.slice(0, (process.stderr.columns ?? 80) - 1);
      process.stderr.write(`\r\x1b[2K${text}`);
    },
    done() {
      process.stderr.write('\r\x1b[2K');
    },
  };
}

/** Fixed-width text table; cells are sanitised so hostile names cannot move the cursor. */
export function table(headers: string[], rows: string[][]): string {
  const clean = (s: string) => s.replace(/[\x00-\x1f\x7f]/g, '?');
  const all = [headers, ...rows].map((r) => r.map(clean));
  const widths = headers.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n') + '\n';
}

/**
 * Resolves once `stop` has finished after the first SIGINT or SIGTERM. The handlers
 * stay installed: a second signal during the drain neither starts a second shutdown
 * nor falls through to Node's default exit.
 */
export function untilSignal(stop: () => Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const onSignal = (): void => {
      if (stopping) return;
      stopping = true;
      void stop().then(resolve);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
