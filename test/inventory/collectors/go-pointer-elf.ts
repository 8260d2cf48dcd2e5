/**
 * Minimal ELF executables carrying Go build information in the pre-1.18 pointer
 * format (the header points at Go string headers, which point at the bytes), as no
 * toolchain on the test host can produce one. No section headers, so the reader
 * must find the data through the program headers, as for a stripped binary.
 */

/** cmd/go's infoStart and infoEnd sentinels around the module text. */
export const GO_START = Buffer.from('3077af0c9274080241e1c107e6d618e6', 'hex');
export const GO_END = Buffer.from('f932433186182072008242104116d8f2', 'hex');

export interface PointerElfSpec {
  bits: 32 | 64;
  le: boolean;
  goVersion: string;
  modinfo: Buffer | string;
}

export function makePointerElf(spec: PointerElfSpec): Buffer {
  const { bits, le } = spec;
  const ptr = bits / 8;
  const ehsize = bits === 32 ? 52 : 64;
  const phentsize = bits === 32 ? 32 : 56;
  const dataOff = 0x1000;
  const base = 0x400000;
  const dataAddr = base + 0x10000;
  const version = Buffer.from(spec.goVersion, 'utf8');
  const modinfo = Buffer.isBuffer(spec.modinfo) ? spec.modinfo : Buffer.from(spec.modinfo, 'utf8');

  const put = (b: Buffer, at: number, v: number, size: number): void => {
    if (size === 2) le ? b.writeUInt16LE(v, at) : b.writeUInt16BE(v, at);
    else if (size === 4) le ? b.writeUInt32LE(v, at) : b.writeUInt32BE(v, at);
    else le ? b.writeBigUInt64LE(BigInt(v), at) : b.writeBigUInt64BE(BigInt(v), at);
  };

  const hdrs = 32;
  const strHdrs = hdrs + 32;
  const versAt = strHdrs + 4 * ptr;
  const modAt = versAt + version.length;
  const data = Buffer.alloc(modAt + modinfo.length);
  Buffer.from('\xff Go buildinf:', 'latin1').copy(data, 0);
  data[14] = ptr;
  data[15] = le ? 0 : 1;
  put(data, 16, dataAddr + strHdrs, ptr);
  put(data, 16 + ptr, dataAddr + strHdrs + 2 * ptr, ptr);
  put(data, strHdrs, dataAddr + versAt, ptr);
  put(data, strHdrs + ptr, version.length, ptr);
  put(data, strHdrs + 2 * ptr, dataAddr + modAt, ptr);
  put(data, strHdrs + 3 * ptr, modinfo.length, ptr);
  version.copy(data, versAt);
  modinfo.copy(data, modAt);

  const head = Buffer.alloc(dataOff);
  head.write('\x7fELF', 0, 'latin1');
  head[4] = bits === 32 ? 1 : 2;
  head[5] = le ? 1 : 2;
  head[6] = 1;
  put(head, 16, 2, 2); // ET_EXEC
  put(head, 18, bits === 32 ? 8 : 62, 2); // EM_MIPS / EM_X86_64
  put(head, 20, 1, 4);
  const w = bits === 32 ? 4 : 8;
  const phoff = ehsize;
  if (bits === 32) {
    put(head, 28, phoff, 4);
    put(head, 40, ehsize, 2);
    put(head, 42, phentsize, 2);
    put(head, 44, 2, 2);
  } else {
    put(head, 32, phoff, 8);
    put(head, 52, ehsize, 2);
    put(head, 54, phentsize, 2);
    put(head, 56, 2, 2);
  }
  const segments = [
    { flags: 5, offset: 0, vaddr: base, size: dataOff },
    { flags: 6, offset: dataOff, vaddr: dataAddr, size: data.length },
  ];
  segments.forEach((s, i) => {
    const p = phoff + i * phentsize;
    put(head, p, 1, 4); // PT_LOAD
    if (bits === 32) {
      put(head, p + 4, s.offset, 4);
      put(head, p + 8, s.vaddr, 4);
      put(head, p + 12, s.vaddr, 4);
      put(head, p + 16, s.size, 4);
      put(head, p + 20, s.size, 4);
      put(head, p + 24, s.flags, 4);
      put(head, p + 28, 0x1000, 4);
    } else {
      put(head, p + 4, s.flags, 4);
      put(head, p + 8, s.offset, w);
      put(head, p + 16, s.vaddr, w);
      put(head, p + 24, s.vaddr, w);
      put(head, p + 32, s.size, w);
      put(head, p + 40, s.size, w);
      put(head, p + 48, 0x1000, w);
    }
  });
  return Buffer.concat([head, data]);
}
