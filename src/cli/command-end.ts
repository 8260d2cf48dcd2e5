/** Work to finish when a CLI command ends, whatever its outcome (an in-process API to stop, say). */
const hooks: Array<() => Promise<void>> = [];

export function atCommandEnd(fn: () => Promise<void>): void {
  hooks.push(fn);
}

export async function runCommandEnd(): Promise<void> {
  for (const fn of hooks.splice(0).reverse()) await fn().catch(() => undefined);
}
