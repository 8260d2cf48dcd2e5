import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Where systemd (and before it D-Bus) keeps the machine's id, in order. */
export const MACHINE_ID_FILES = ['/etc/machine-id', '/var/lib/dbus/machine-id'];

/**
 * The identity an agent gives its machine when it enrols: what lets the server
 * recognise the same machine enrolling again and keep its host. It is the first
 * 32 hex digits of HMAC-SHA256 keyed with the machine id over the agent's state
 * directory: machine-id(5) asks that the id itself never leave the machine, only an
 * application-specific value derived from it; and two agents on one machine with
 * their own state directories (one per container root or chroot) stay two hosts.
 * A machine without a machine id (some containers) gets none, and each of its
 * enrolments is a new host.
 */
export function machineIdentity(stateDir: string, files: readonly string[] = MACHINE_ID_FILES): string | undefined {
  for (const f of files) {
    let id: string;
    try {
      id = readFileSync(f, 'utf8').trim();
    } catch {
      continue;
    }
    // "uninitialized" (first boot) and an empty file are no identity yet.
    if (!/^[0-9a-f]{32}$/.test(id)) continue;
    return createHmac('sha256', id).update(`vigil-agent\0${path.resolve(stateDir)}`).digest('hex').slice(0, 32);
  }
  return undefined;
}
