import { lstat, mkdir, open, stat } from 'node:fs/promises';
import { VigilError } from '../common/errors.js';
import { isVigilReport } from '../report/index.js';

/**
 * Where `vigil report` may write. `-o` replaces only what it would not destroy: a path
 * that does not exist, an empty file, or a report Vigil wrote (any format, recognised
 * by how it begins); any other file is refused (CONFLICT, exit 8), as `db bundle -o`
 * refuses a file that is not a bundle. Devices and FIFOs (`-o /dev/stdout`) are written
 * into; what no file can be written to is refused by the atomic writer.
 */

const HEAD_BYTES = 4096;

async function head(file: string): Promise<{ size: number; text: string }> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return { size: (await fh.stat()).size, text: buf.subarray(0, bytesRead).toString('utf8') };
  } finally {
    await fh.close();
  }
}

function ioError(file: string, err: unknown): VigilError {
  return new VigilError('IO', `cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
}

/** Refuses `file` when it holds something other than a Vigil report (or what `recognises` accepts); resolves when writing it is safe. */
export async function checkReportOutput(file: string, recognises: (head: string) => boolean = isVigilReport): Promise<void> {
  let st;
  try {
    st = await lstat(file);
    if (st.isSymbolicLink()) st = await stat(file);
  } catch (err) {
    // Nothing there (or a dangling link, which the atomic writer refuses with its own words).
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw ioError(file, err);
  }
  if (!st.isFile()) return;
  let h;
  try {
    h = await head(file);
  } catch (err) {
    throw ioError(file, err);
  }
  if (h.size === 0 || recognises(h.text)) return;
  throw new VigilError('CONFLICT', `refusing to overwrite ${file}: it is not a report Vigil wrote; name another file or remove it`);
}

/** The directory `--per-host` writes into: created when missing, refused when something else is there. */
export async function reportDirectory(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    if (!(await stat(dir)).isDirectory()) throw new VigilError('INVALID_INPUT', `${dir} is not a directory; --per-host writes one file per host into a directory`);
  } catch (err) {
    if (err instanceof VigilError) throw err;
    if ((err as NodeJS.ErrnoException).code === 'EEXIST' || (err as NodeJS.ErrnoException).code === 'ENOTDIR')
      throw new VigilError('INVALID_INPUT', `${dir} is not a directory; --per-host writes one file per host into a directory`, { cause: err });
    throw ioError(dir, err);
  }
}
