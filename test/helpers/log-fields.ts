import { LOG_FIELD_SYNONYMS, LOG_FIELDS } from '../../src/common/log.js';

/**
 * Keys of pino JSON lines that are not in Vigil's log vocabulary (src/common/log.ts),
 * each with one line that carries it. Lines that are not JSON (messages meant for a
 * person) are not log records and are skipped.
 */
export function unknownLogFields(text: string): Array<{ key: string; line: string; use?: string }> {
  const out = new Map<string, { key: string; line: string; use?: string }>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    let rec: Record<string, unknown>;
    try {
      rec = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    if (typeof rec.level !== 'number' || typeof rec.msg !== 'string') continue;
    for (const key of Object.keys(rec)) {
      if (Object.hasOwn(LOG_FIELDS, key) || out.has(key)) continue;
      const use = Object.hasOwn(LOG_FIELD_SYNONYMS, key) ? LOG_FIELD_SYNONYMS[key] : undefined;
      out.set(key, use ? { key, line: line.slice(0, 300), use } : { key, line: line.slice(0, 300) });
    }
  }
  return [...out.values()];
}

/** How many pino records a text holds, so a check over no lines cannot pass by accident. */
export function logRecords(text: string): number {
  return text.split('\n').filter((l) => l.startsWith('{"level":')).length;
}
