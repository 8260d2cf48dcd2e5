
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

export interface TableOptions {
  /** Total width to fit (a terminal's columns): the widest column is cut with an ellipsis until the table fits; rows never wrap. */
  maxWidth?: number;
  /** Decorates a padded cell (colour); widths are measured on the plain text. */
  decorate?: (column: number, row: number, padded: string) => string;
}

const MIN_COLUMN = 6;

/** Column widths, the widest cut first until the table fits in `maxWidth` (or no column can shrink further). */
function fitWidths(widths: number[], maxWidth: number | undefined): number[] {
  const out = [...widths];
  if (maxWidth === undefined) return out;
  const total = () => out.reduce((a, b) => a + b, 0) + 2 * (out.length - 1);
  // One character at a time off the widest column: overflow is at most a few hundred characters.
  // Columns keep MIN_COLUMN characters while that fits, one only on a terminal too narrow for it.
  for (const floor of [MIN_COLUMN, 1]) {
    while (total() > maxWidth) {
      let widest = 0;
      for (let i = 1; i < out.length; i++) if (out[i]! > out[widest]!) widest = i;
      if (out[widest]! <= floor) break;
      out[widest]!--;
    }
  }
  return out;
}

const cut = (s: string, w: number): string => (s.length <= w ? s : s.slice(0, Math.max(0, w - 1)) + '…');

/** Fixed-width text table; cells are sanitised so hostile names cannot move the cursor. */
export function table(headers: string[], rows: string[][], opts: TableOptions = {}): string {
  const clean = (s: string) => s.replace(/[\x00-\x1f\x7f]/g, '?');
  const all = [headers, ...rows].map((r) => r.map(clean));
  const natural = headers.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const widths = fitWidths(natural, opts.maxWidth);
  const last = headers.length - 1;
  return (
    all
      .map((r, ri) =>
        r
          .map((c, i) => {
            const text = cut(c, widths[i]!);
            const padded = i === last ? text : text.padEnd(widths[i]!);
            return opts.decorate && ri > 0 ? opts.decorate(i, ri - 1, padded) : padded;
          })
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
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
