/** JSON input of the VEX readers: parse errors with line and column, format errors with a JSON pointer. */
import { VigilError } from '../common/errors.js';

/** The line and column of a character offset, both from 1. */
function lineCol(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `${line}:${offset - before.lastIndexOf('\n')}`;
}

export function parseJsonInput(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const msg = (err as Error).message;
    const pos = /at position (\d+)/.exec(msg);
    const where = pos ? `${file}:${lineCol(text, Number(pos[1]))}` : file;
    throw new VigilError('INVALID_INPUT', `${where}: not valid JSON: ${msg.replace(/ in JSON at position \d+.*$/s, '')}`);
  }
}

/** Throws INVALID_INPUT naming the file and pointer. */
export function vexError(file: string, pointer: string, message: string): never {
  throw new VigilError('INVALID_INPUT', `${file}#${pointer || '/'}: ${message}`);
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

