import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Events shaped like Amazon EventBridge events (DESIGN.md §7): `version`, `id`,
 * `source`, `detail-type`, `time`, `resources`, `detail`. This sink appends them
 * as JSON lines, one per transition, for a SIEM to tail; routing rules read the
 * same shape.
 */
export interface VigilEvent {
  version: '0';
  id: string;
  source: 'vigil';
  'detail-type': string;
  time: string;
  resources: string[];
  detail: Record<string, unknown>;
}

export type EventSink = (detailType: string, resources: string[], detail: Record<string, unknown>, time: string) => void;

/** Appends each event to `file` (one JSON object per line); a failing write never stops the caller. */
export function jsonLinesSink(file: string, onError: (err: unknown) => void): EventSink {
  mkdirSync(path.dirname(file), { recursive: true });
  return (detailType, resources, detail, time) => {
    const e: VigilEvent = { version: '0', id: randomUUID(), source: 'vigil', 'detail-type': detailType, time, resources, detail };
    try {
      appendFileSync(file, JSON.stringify(e) + '\n', { mode: 0o600 });
    } catch (err) {
      onError(err);
    }
  };
}

/** Resource names: `vigil:host/ID`, `vigil:job/N`, `vigil:command/ID`. */
export const resource = {
  host: (id: string): string => `vigil:host/${id}`,
  job: (id: number | string): string => `vigil:job/${id}`,
  command: (id: string): string => `vigil:command/${id}`,
};
