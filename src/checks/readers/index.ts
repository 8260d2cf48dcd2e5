import type { FactReader } from '../fact-reader.js';
import type { FactKind, FactSpec } from '../model.js';
import { fileKeyReader } from './file-key.js';
import { fileModeReader } from './file-mode.js';
import { packageReader } from './package.js';
import { serviceReader } from './service.js';
import { sysctlReader } from './sysctl.js';
import { worldWritableReader } from './world-writable.js';

/** One reader per fact kind; the Record makes the compiler refuse a kind without one. */
export const READERS: Record<FactKind, FactReader> = {
  file_key: fileKeyReader as FactReader,
  sysctl: sysctlReader as FactReader,
  file_mode: fileModeReader as FactReader,
  package: packageReader as FactReader,
  service: serviceReader as FactReader,
  world_writable: worldWritableReader as FactReader,
};

export function readerOf(spec: FactSpec): FactReader {
  return READERS[spec.kind];
}
