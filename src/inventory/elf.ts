import { type ByteSource, OutOfRangeError } from '../common/byte-source.js';

/**
 * Just enough ELF to locate data in executables found on scanned hosts: the header,
 * program headers (address → file offset), section headers with their names, and
 * notes. 32/64-bit, either byte order. Every count, size and offset is checked
 * before use, since files may be truncated or hostile.
 */

export const PT_LOAD = 1;
export const PT_NOTE = 4;
export const PF_X = 1;
export const PF_W = 2;

const MAX_PROGRAM_HEADERS = 4096;
const MAX_SECTIONS = 65_535;
const MAX_SECTION_NAMES = 1024 * 1024;
const MAX_NOTE_BYTES = 64 * 1024;

export class ElfError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ElfError';
  }
}

export interface ElfSegment {
  type: number;
  flags: number;
  offset: number;
  vaddr: number;
  filesz: number;
}

export interface ElfSection {
  name: string;
  type: number;
  addr: number;
  offset: number;
  size: number;
}

export interface ElfFile {
  bits: 32 | 64;
  littleEndian: boolean;
  segments: ElfSegment[];
  sections: ElfSection[];
  /** Why the section headers could not be read (a truncated file loses them first). */
  sectionError?: string;
}

export function isElf(head: Buffer): boolean {
  return head.length >= 4 && head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46;
}

class Reader {
  constructor(
    readonly bits: 32 | 64,
    readonly le: boolean,
  ) {}
  u16(b: Buffer, at: number): number {
    return this.le ? b.readUInt16LE(at) : b.readUInt16BE(at);
  }
  u32(b: Buffer, at: number): number {
    return this.le ? b.readUInt32LE(at) : b.readUInt32BE(at);
  }
  /** A native-width word: 4 bytes on 32-bit, 8 on 64-bit. */
  word(b: Buffer, at: number, what: string): number {
    if (this.bits === 32) return this.u32(b, at);
    const v = this.le ? b.readBigUInt64LE(at) : b.readBigUInt64BE(at);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ElfError(`${what} is out of range (${v})`);
    return Number(v);
  }
}

async function readRange(src: ByteSource, offset: number, length: number, what: string): Promise<Buffer> {
  try {
    return await src.read(offset, length);
  } catch (err) {
    if (err instanceof OutOfRangeError) throw new ElfError(`${what} (offset ${offset}, ${length} bytes) lies outside the ${src.size}-byte file`);
    throw err;
  }
}

export async function readElf(src: ByteSource): Promise<ElfFile> {
  const head = await readRange(src, 0, Math.min(64, src.size), 'ELF header');
  if (!isElf(head)) throw new ElfError('not an ELF file');
  const cls = head[4];
  const data = head[5];
  if ((cls !== 1 && cls !== 2) || (data !== 1 && data !== 2)) throw new ElfError(`unknown ELF class ${cls} or byte order ${data}`);
  const r = new Reader(cls === 1 ? 32 : 64, data === 1);
  if (head.length < (r.bits === 32 ? 52 : 64)) throw new ElfError('ELF header is truncated');
  const phoff = r.word(head, r.bits === 32 ? 28 : 32, 'program header offset');
  const shoff = r.word(head, r.bits === 32 ? 32 : 40, 'section header offset');
  const base = r.bits === 32 ? 42 : 54;
  const phentsize = r.u16(head, base);
  const phnum = r.u16(head, base + 2);
  const shentsize = r.u16(head, base + 4);
  let shnum = r.u16(head, base + 6);
  let shstrndx = r.u16(head, base + 8);

  const phMin = r.bits === 32 ? 32 : 56;
  if (phnum > 0 && phentsize < phMin) throw new ElfError(`program header entries of ${phentsize} bytes are too small`);
  if (phnum > MAX_PROGRAM_HEADERS) throw new ElfError(`${phnum} program headers is more than ${MAX_PROGRAM_HEADERS}`);
  const ph = phnum ? await readRange(src, phoff, phnum * phentsize, 'program headers') : Buffer.alloc(0);
  const segments: ElfSegment[] = [];
  for (let i = 0; i < phnum; i++) {
    const p = i * phentsize;
    segments.push(
      r.bits === 32
        ? { type: r.u32(ph, p), offset: r.u32(ph, p + 4), vaddr: r.u32(ph, p + 8), filesz: r.u32(ph, p + 16), flags: r.u32(ph, p + 24) }
        : {
            type: r.u32(ph, p),
            flags: r.u32(ph, p + 4),
            offset: r.word(ph, p + 8, 'segment offset'),
            vaddr: r.word(ph, p + 16, 'segment address'),
            filesz: r.word(ph, p + 32, 'segment size'),
          },
    );
  }

  const elf: ElfFile = { bits: r.bits, littleEndian: r.le, segments, sections: [] };
  if (shoff === 0) return elf;
  try {
    const shMin = r.bits === 32 ? 40 : 64;
    if (shentsize < shMin) throw new ElfError(`section header entries of ${shentsize} bytes are too small`);
    const first = await readRange(src, shoff, shentsize, 'section headers');
    // Extended numbering: the real count and string table index live in section 0.
    if (shnum === 0) shnum = r.bits === 32 ? r.u32(first, 20) : r.word(first, 32, 'section count');
    if (shstrndx === 0xffff) shstrndx = r.u32(first, r.bits === 32 ? 24 : 40);
    if (shnum > MAX_SECTIONS) throw new ElfError(`${shnum} sections is more than ${MAX_SECTIONS}`);
    const sh = await readRange(src, shoff, shnum * shentsize, 'section headers');
    const raw = [];
    for (let i = 0; i < shnum; i++) {
      const p = i * shentsize;
      raw.push(
        r.bits === 32
          ? { nameOff: r.u32(sh, p), type: r.u32(sh, p + 4), addr: r.u32(sh, p + 12), offset: r.u32(sh, p + 16), size: r.u32(sh, p + 20) }
          : {
              nameOff: r.u32(sh, p),
              type: r.u32(sh, p + 4),
              addr: r.word(sh, p + 16, 'section address'),
              offset: r.word(sh, p + 24, 'section offset'),
              size: r.word(sh, p + 32, 'section size'),
            },
      );
    }
    const strtab = raw[shstrndx];
    let names: Buffer = Buffer.alloc(0);
    if (strtab && strtab.type !== 8 /* SHT_NOBITS */) {
      if (strtab.size > MAX_SECTION_NAMES) throw new ElfError(`section name table of ${strtab.size} bytes is too large`);
      names = await readRange(src, strtab.offset, strtab.size, 'section name table');
    }
    elf.sections = raw.map(({ nameOff, ...s }) => {
      const end = nameOff < names.length ? names.indexOf(0, nameOff) : -1;
      return { ...s, name: end >= 0 ? names.toString('latin1', nameOff, end) : '' };
    });
  } catch (err) {
    if (!(err instanceof ElfError)) throw err;
    elf.sectionError = err.message;
  }
  return elf;
}

/**
 * Bytes at a virtual address, through the loadable segment that maps it. With
 * `partial`, returns what the segment holds up to `length` instead of failing.
 */
export async function readAddress(src: ByteSource, elf: ElfFile, addr: number, length: number, partial = false): Promise<Buffer> {
  for (const seg of elf.segments) {
    if (seg.type !== PT_LOAD || addr < seg.vaddr || addr >= seg.vaddr + seg.filesz) continue;
    const fileOffset = seg.offset + (addr - seg.vaddr);
    let available = seg.vaddr + seg.filesz - addr;
    if (available < length && !partial) throw new ElfError(`${length} bytes at address 0x${addr.toString(16)} run past their segment`);
    // A truncated file still yields what it holds, so that the caller can say precisely what is missing.
    if (partial && fileOffset < src.size) available = Math.min(available, src.size - fileOffset);
    return readRange(src, fileOffset, Math.min(length, available), `data at address 0x${addr.toString(16)}`);
  }
  throw new ElfError(`address 0x${addr.toString(16)} is not in any loadable segment`);
}

export interface ElfNote {
  name: string;
  type: number;
  desc: Buffer;
}

/** Notes of the PT_NOTE segments; they sit at the start of the file and survive truncation. */
export async function readNotes(src: ByteSource, elf: ElfFile): Promise<ElfNote[]> {
  const notes: ElfNote[] = [];
  const r = new Reader(elf.bits, elf.littleEndian);
  for (const seg of elf.segments) {
    if (seg.type !== PT_NOTE || seg.filesz > MAX_NOTE_BYTES) continue;
    let buf: Buffer;
    try {
      buf = await readRange(src, seg.offset, seg.filesz, 'note segment');
    } catch {
      continue;
    }
    let p = 0;
    const align4 = (n: number) => (n + 3) & ~3;
    while (p + 12 <= buf.length) {
      const namesz = r.u32(buf, p);
      const descsz = r.u32(buf, p + 4);
      const type = r.u32(buf, p + 8);
      const nameAt = p + 12;
      const descAt = nameAt + align4(namesz);
      if (descAt + descsz > buf.length) break;
      notes.push({ name: buf.toString('latin1', nameAt, nameAt + namesz).replace(/\0+$/, ''), type, desc: buf.subarray(descAt, descAt + descsz) });
      p = descAt + align4(descsz);
    }
  }
  return notes;
}
