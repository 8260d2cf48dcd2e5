import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { syncDirSync, writeFileAtomicSync } from '../common/atomic-write.js';
import { VigilError } from '../common/errors.js';
import { checkOwnedByUs } from './config.js';

const LEDGER_FILE = 'ledger';
const SERIAL_FILE = 'delegation-serial';

function appendDurably(file: string, text: string): void {
  const fd = openSync(file, 'a', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * What the executor remembers across restarts, in its root-owned state directory:
 * every command id it ever accepted (`ledger`, one id a line, appended and synced
 * before the package manager starts, so a crash mid-run never runs a command
 * twice) and the highest delegation serial seen (`delegation-serial`), below which
 * a delegation is a rollback.
 */
export class Ledger {
  private constructor(
    private readonly dir: string,
    private readonly ids: Set<string>,
    private serial: number | undefined,
  ) {}

  static open(dir: string, log: Logger): Ledger {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    checkOwnedByUs(dir, 'state directory');
    const file = path.join(dir, LEDGER_FILE);
    const ids = new Set<string>();
    if (existsSync(file)) {
      const text = readFileSync(file, 'utf8');
      const lines = text.split('\n');
      // A crash during an append leaves a line without its newline. That command
      // never ran (the run waits for the sync), so the torn line is dropped and
      // ended, and the next id starts on a line of its own.
      const torn = lines.pop();
      if (torn) {
        log.warn({ torn: torn.slice(0, 140) }, 'executor ledger ends in a torn line; ignoring it');
        appendDurably(file, '\n');
      }
      for (const l of lines) if (l) ids.add(l);
    } else {
      appendDurably(file, '');
      syncDirSync(dir);
    }
    let serial: number | undefined;
    const serialFile = path.join(dir, SERIAL_FILE);
    if (existsSync(serialFile)) {
      const text = readFileSync(serialFile, 'utf8');
      if (!/^\d{1,15}\n$/.test(text)) throw new VigilError('INVALID_INPUT', `${serialFile} does not hold a delegation serial; refusing to start without it`);
      serial = Number(text.trim());
    }
    log.info({ state_dir: dir, commands: ids.size, min_serial: serial }, 'executor ledger loaded');
    return new Ledger(dir, ids, serial);
  }

  has(commandId: string): boolean {
    return this.ids.has(commandId);
  }

  /** Records an accepted command id; returns once it is on disk. */
  record(commandId: string): void {
    if (commandId.includes('\n')) throw new VigilError('INTERNAL', 'a command id holds a newline');
    appendDurably(path.join(this.dir, LEDGER_FILE), `${commandId}\n`);
    this.ids.add(commandId);
  }

  /** The highest delegation serial seen; an older delegation is refused. */
  get minSerial(): number | undefined {
    return this.serial;
  }

  /** Raises the remembered serial (never lowers it), replacing the file atomically. */
  noteSerial(serial: number): void {
    if (this.serial !== undefined && serial <= this.serial) return;
    const file = path.join(this.dir, SERIAL_FILE);
    writeFileAtomicSync(file, `${serial}\n`, { mode: 0o600, regularOnly: true });
    this.serial = serial;
  }
}
