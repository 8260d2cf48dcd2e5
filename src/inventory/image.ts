import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { ByteSource } from '../common/byte-source.js';
import { VigilError, describeError } from '../common/errors.js';
import type { Inventory, Problem } from '../common/model.js';
import { readTar, TarError } from '../common/tar.js';
import { DEFAULT_UNPACK_LIMITS, hostFileSource, MemberError, memberPath, SafeTree, withTempDir, type UnpackLimits } from './archive.js';
import { resolveInRootSync } from './rootfs.js';

/**
 * Container images saved as files: a docker-archive (`docker save`: manifest.json,
 * config and layer tars) or an OCI image layout tarball (oci-layout, index.json and
 * blobs/sha256). Every digest the image states is checked before anything is
 * written, then layers are applied in order with OCI whiteout semantics.
 */

export interface ImageLayer {
  /** sha256 of the layer blob as stored in the archive (compressed or not). */
  digest: string;
  size: number;
  /** sha256 of the uncompressed layer tar, as the config's rootfs.diff_ids name it. */
  diffId?: string;
}

export interface ImageConfig {
  os: string;
  architecture: string;
  created?: string;
}

export interface UnpackedImage {
  layers: ImageLayer[];
  config: ImageConfig;
  repoTags?: string[];
  /** Root-relative path → digest of the layer that last wrote it, for what exists after unpacking. */
  lastWriter: Map<string, string>;
  /** Members refused one by one (path traversal, writes through symlinks, oversized files). */
  problems: Problem[];
}

export type ImageLimits = UnpackLimits & {
  /** Bytes of a manifest, index or config read into memory. */
  maxMetadataBytes: number;
};

export const DEFAULT_IMAGE_LIMITS: ImageLimits = { ...DEFAULT_UNPACK_LIMITS, maxMetadataBytes: 16 * 1024 * 1024 };

const BLOCK = 512;
const padded = (n: number) => Math.ceil(n / BLOCK) * BLOCK;
const SHA256 = /^sha256:([0-9a-f]{64})$/;

function bad(message: string): VigilError {
  return new VigilError('INVALID_INPUT', message);
}

interface Member {
  offset: number;
  size: number;
}

function cString(buf: Buffer, at: number, len: number): string {
  const field = buf.subarray(at, at + len);
  const nul = field.indexOf(0);
  return field.subarray(0, nul < 0 ? len : nul).toString('utf8');
}

function octal(buf: Buffer, at: number, len: number): number {
  const field = buf.subarray(at, at + len);
  if (field[0]! & 0x80) {
    let v = field[0]! & 0x3f;
    for (let i = 1; i < len; i++) v = v * 256 + field[i]!;
    if (field[0]! & 0x40 || !Number.isSafeInteger(v)) throw bad('image archive: tar size field out of range');
    return v;
  }
  const s = field.toString('latin1').replace(/[\0 ]+$/, '').replace(/^ +/, '');
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s)) throw bad('image archive: corrupt tar header (not a tar archive?)');
  return parseInt(s, 8);
}

/**
 * Names and data offsets of the outer archive's members, found by seeking from header
 * to header: layers can be gigabytes, and are then streamed from their offset instead
 * of being read once to find them and again to use them.
 */
async function indexOuter(src: ByteSource, maxMembers: number): Promise<Map<string, Member>> {
  const out = new Map<string, Member>();
  let pos = 0;
  let longName: string | undefined;
  let pax = new Map<string, string>();
  for (;;) {
    if (pos + BLOCK > src.size) throw bad(`image archive ends at offset ${pos} without its end-of-archive block (truncated?)`);
    const h = await src.read(pos, BLOCK);
    if (h.every((b) => b === 0)) return out;
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i]!;
    if (octal(h, 148, 8) !== sum) throw bad(`image archive: bad tar header checksum at offset ${pos} (not a tar archive, or corrupt)`);
    const flag = String.fromCharCode(h[156]!);
    let size = octal(h, 124, 12);
    const dataAt = pos + BLOCK;
    if (flag === 'x' || flag === 'L') {
      if (size > 1024 * 1024 || dataAt + size > src.size) throw bad(`image archive: bad extended header at offset ${pos}`);
      const data = await src.read(dataAt, size);
      if (flag === 'L') longName = cString(data, 0, data.length);
      else pax = paxRecords(data);
    } else if (flag !== 'g') {
      const ustar = h.toString('latin1', 257, 263) === 'ustar\0';
      const prefix = ustar ? cString(h, 345, 155) : '';
      const name = pax.get('path') ?? longName ?? (prefix ? `${prefix}/${cString(h, 0, 100)}` : cString(h, 0, 100));
      const paxSize = pax.get('size');
      if (paxSize !== undefined && /^\d{1,16}$/.test(paxSize)) size = Number(paxSize);
      if (!'0\x007'.includes(flag)) size = flag === '1' || flag === '2' || flag === '5' ? 0 : size;
      if (dataAt + size > src.size) throw bad(`image archive is truncated: member ${JSON.stringify(name.slice(0, 200))} runs past the end of the file`);
      if (out.size >= maxMembers) throw bad(`image archive has more than ${maxMembers} members`);
      if (flag === '0' || flag === '\0' || flag === '7') out.set(path.posix.normalize(name).replace(/^(\.\/|\/)+/, ''), { offset: dataAt, size });
      longName = undefined;
      pax = new Map();
    }
    pos = dataAt + padded(size);
  }
}

function paxRecords(data: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  let p = 0;
  while (p < data.length) {
    const sp = data.indexOf(0x20, p);
    const len = sp < 0 ? NaN : Number(data.toString('latin1', p, sp));
    if (!Number.isSafeInteger(len) || len <= sp - p + 1 || p + len > data.length) break;
    const rec = data.subarray(sp + 1, p + len - 1).toString('utf8');
    const eq = rec.indexOf('=');
    if (eq > 0) out.set(rec.slice(0, eq), rec.slice(eq + 1));
    p += len;
  }
  return out;
}

interface Outer {
  file: string;
  src: ByteSource;
  members: Map<string, Member>;
  lim: ImageLimits;
}

async function readJson(o: Outer, name: string, expectDigest?: string): Promise<unknown> {
  const m = o.members.get(name);
  if (!m) throw bad(`image archive has no ${name}`);
  if (m.size > o.lim.maxMetadataBytes) throw bad(`${name} is ${m.size} bytes, more than the limit of ${o.lim.maxMetadataBytes}`);
  const data = await o.src.read(m.offset, m.size);
  if (expectDigest !== undefined) {
    const got = 'sha256:' + createHash('sha256').update(data).digest('hex');
    if (got !== expectDigest) throw bad(`digest mismatch for ${name}: the image lists ${expectDigest}, its content is ${got}`);
  }
  try {
    return JSON.parse(data.toString('utf8'));
  } catch (err) {
    throw bad(`${name} is not valid JSON: ${describeError(err)}`);
  }
}

function blobName(digest: unknown): string {
  const m = typeof digest === 'string' ? SHA256.exec(digest) : null;
  if (!m) throw bad(`unsupported or malformed digest ${JSON.stringify(String(digest).slice(0, 100))} (only sha256 is supported)`);
  return `blobs/sha256/${m[1]}`;
}

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

interface LayerPlan {
  name: string;
  /** Digest the image states for the blob, when it states one. */
  digest?: string;
  diffId?: string;
}

interface Plan {
  layers: LayerPlan[];
  config: Record<string, unknown>;
  repoTags?: string[];
}

function diffIds(config: Record<string, unknown>, layers: number): (string | undefined)[] {
  const ids = arr(obj(config.rootfs).diff_ids);
  if (ids.length === 0) return new Array<undefined>(layers).fill(undefined);
  if (ids.length !== layers) throw bad(`the image config lists ${ids.length} layer diff_ids but the manifest ${layers} layers`);
  return ids.map((d) => {
    if (typeof d !== 'string' || !SHA256.test(d)) throw bad(`unsupported or malformed diff_id ${JSON.stringify(String(d).slice(0, 100))}`);
    return d;
  });
}

async function dockerPlan(o: Outer): Promise<Plan> {
  const manifest = arr(await readJson(o, 'manifest.json'));
  if (manifest.length === 0) throw bad('manifest.json lists no image');
  // `docker save a b` writes several images; the first is the one named first.
  const entry = obj(manifest[0]);
  const configName = typeof entry.Config === 'string' ? path.posix.normalize(entry.Config).replace(/^(\.\/|\/)+/, '') : '';
  if (!configName) throw bad('manifest.json names no config');
  // The config's name is its digest, in the old layout (`<hex>.json`) and the new (blobs/sha256/<hex>).
  const named = /^(?:blobs\/sha256\/)?([0-9a-f]{64})(?:\.json)?$/.exec(configName);
  const config = obj(await readJson(o, configName, named ? `sha256:${named[1]}` : undefined));
  const names = arr(entry.Layers).map((l) => {
    if (typeof l !== 'string') throw bad('manifest.json: a layer name is not a string');
    return path.posix.normalize(l).replace(/^(\.\/|\/)+/, '');
  });
  const ids = diffIds(config, names.length);
  const layers = names.map((name, i): LayerPlan => {
    const blob = /^blobs\/sha256\/([0-9a-f]{64})$/.exec(name);
    const plan: LayerPlan = { name };
    if (blob) plan.digest = `sha256:${blob[1]}`;
    if (ids[i]) plan.diffId = ids[i];
    return plan;
  });
  const tags = arr(entry.RepoTags).filter((t): t is string => typeof t === 'string');
  return { layers, config, ...(tags.length ? { repoTags: tags } : {}) };
}

const INDEX_TYPES = new Set(['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json']);

function platformOf(d: Record<string, unknown>): string {
  const p = obj(d.platform);
  return `${String(p.os ?? '?')}/${String(p.architecture ?? '?')}${p.variant ? '/' + String(p.variant) : ''}`;
}

/** The linux/amd64 manifest of an index, or its only image manifest; attestations (unknown/unknown) do not count. */
function pickManifest(index: Record<string, unknown>): Record<string, unknown> {
  const all = arr(index.manifests).map(obj);
  const images = all.filter((d) => obj(d.platform).os !== 'unknown');
  const amd64 = images.filter((d) => obj(d.platform).os === 'linux' && obj(d.platform).architecture === 'amd64');
  if (amd64.length >= 1) return amd64[0]!;
  if (images.length === 1) return images[0]!;
  if (images.length === 0) throw bad('index.json lists no image manifest');
  throw bad(`the image index lists ${images.length} platforms (${images.map(platformOf).join(', ')}) and none is linux/amd64`);
}

async function ociPlan(o: Outer): Promise<Plan> {
  const top = obj(await readJson(o, 'index.json'));
  let desc = pickManifest(top);
  const tags = new Set<string>();
  const tagOf = (d: Record<string, unknown>) => {
    const a = obj(d.annotations);
    const t = a['io.containerd.image.name'] ?? a['org.opencontainers.image.ref.name'];
    if (typeof t === 'string') tags.add(t);
  };
  tagOf(desc);
  let manifest: Record<string, unknown> = {};
  for (let depth = 0; ; depth++) {
    if (depth > 4) throw bad('image indexes nest more than 4 deep');
    manifest = obj(await readJson(o, blobName(desc.digest), String(desc.digest)));
    if (!INDEX_TYPES.has(String(manifest.mediaType ?? desc.mediaType)) && !Array.isArray(manifest.manifests)) break;
    desc = pickManifest(manifest);
    tagOf(desc);
  }
  const configDesc = obj(manifest.config);
  const config = obj(await readJson(o, blobName(configDesc.digest), String(configDesc.digest)));
  const descs = arr(manifest.layers).map(obj);
  const ids = diffIds(config, descs.length);
  const layers = descs.map((d, i): LayerPlan => {
    const mt = String(d.mediaType ?? '');
    if (/zstd/.test(mt)) throw bad(`layer ${String(d.digest)} is zstd-compressed (${mt}), which is not supported`);
    const plan: LayerPlan = { name: blobName(d.digest), digest: String(d.digest) };
    if (ids[i]) plan.diffId = ids[i];
    return plan;
  });
  return { layers, config, ...(tags.size ? { repoTags: [...tags].sort() } : {}) };
}

type Compression = 'gzip' | 'none';

async function compressionOf(o: Outer, m: Member, name: string): Promise<Compression> {
  const head = m.size >= 4 ? await o.src.read(m.offset, 4) : Buffer.alloc(0);
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length === 4 && head.readUInt32LE(0) === 0xfd2fb528) throw bad(`layer ${name} is zstd-compressed, which is not supported`);
  if (head.toString('latin1', 0, 3) === 'BZh') throw bad(`layer ${name} is bzip2-compressed, which is not supported`);
  return 'none';
}

function blobStream(o: Outer, m: Member): Readable {
  return createReadStream(o.file, { start: m.offset, end: m.offset + m.size - 1, highWaterMark: 1 << 20 });
}

/** The layer's tar stream; a gzip error (truncated or corrupt data) surfaces from the returned stream. */
function tarStream(o: Outer, m: Member, c: Compression): Readable {
  const raw = blobStream(o, m);
  if (c === 'none') return raw;
  const gz = createGunzip();
  pipeline(raw, gz, () => {});
  return gz;
}

/**
 * Hash each layer blob, compressed and uncompressed, against what the image states, and
 * count its uncompressed size against the limit: a tampered layer or a gzip bomb is
 * refused before a single member is written.
 */
async function verifyLayer(o: Outer, plan: LayerPlan, m: Member, c: Compression, budget: number): Promise<{ digest: string; bytes: number }> {
  const blobHash = createHash('sha256');
  const tarHash = createHash('sha256');
  let bytes = 0;
  const raw = blobStream(o, m);
  let source: Readable = raw;
  if (c === 'gzip') {
    const gz = createGunzip();
    raw.on('data', (b: Buffer) => blobHash.update(b));
    pipeline(raw, gz, () => {});
    source = gz;
  }
  try {
    for await (const chunk of source) {
      const b = chunk as Buffer;
      if (c === 'none') blobHash.update(b);
      tarHash.update(b);
      bytes += b.length;
      if (bytes > budget) {
        throw new VigilError('INVALID_INPUT', `layer ${plan.name} unpacks to more than the remaining limit of ${budget} bytes (of ${o.lim.maxTotalBytes} for the image): refused`);
      }
    }
  } catch (err) {
    if (err instanceof VigilError) throw err;
    throw bad(`layer ${plan.name} is corrupt or truncated: ${describeError(err)}`);
  } finally {
    raw.destroy();
    source.destroy();
  }
  const digest = 'sha256:' + blobHash.digest('hex');
  if (plan.digest !== undefined && digest !== plan.digest) throw bad(`digest mismatch for layer ${plan.name}: the image lists ${plan.digest}, its content is ${digest}`);
  const diffId = 'sha256:' + tarHash.digest('hex');
  if (plan.diffId !== undefined && diffId !== plan.diffId) throw bad(`diff_id mismatch for layer ${plan.name}: the config lists ${plan.diffId}, its uncompressed content is ${diffId}`);
  return { digest, bytes };
}

function ancestorsAndSelf(rel: string, into: Set<string>): void {
  for (let p = rel; p !== '/' && p !== '' && !into.has(p); p = path.posix.dirname(p)) into.add(p);
}

/** Apply one layer: whiteouts delete what lower layers wrote, everything else replaces it. */
async function applyLayer(
  o: Outer,
  tree: SafeTree,
  m: Member,
  c: Compression,
  digest: string,
  state: { entries: number; bytes: number; lastWriter: Map<string, string>; problems: Problem[] },
): Promise<void> {
  const touched = new Set<string>();
  const stream = tarStream(o, m, c);
  const problem = (p: string, err: unknown) => {
    const code = err instanceof MemberError ? err.code : 'unreadable';
    state.problems.push({ collector: 'image', path: p, code, message: `layer ${digest}: ${describeError(err)}` });
  };
  try {
    const entries = readTar(stream, {
      maxEntries: o.lim.maxEntries - state.entries,
      maxEntryBytes: o.lim.maxEntryBytes,
      maxTotalBytes: Math.max(0, o.lim.maxTotalBytes - state.bytes) + 2 * BLOCK,
    });
    for await (const e of entries) {
      state.entries++;
      state.bytes += e.size;
      let rel: string;
      try {
        rel = memberPath(e.name);
      } catch (err) {
        problem('/' + e.name.replace(/[\0-\x1f]/g, '?').replace(/^\/+/, '').slice(0, 300), err);
        continue;
      }
      const base = path.posix.basename(rel);
      const dir = path.posix.dirname(rel);
      try {
        if (base === '.wh..wh..opq') {
          await tree.removeBelow(dir, (p) => touched.has(p));
          continue;
        }
        if (base.startsWith('.wh.')) {
          const target = path.posix.join(dir, base.slice(4));
          if (!touched.has(target)) await tree.remove(target);
          continue;
        }
        switch (e.type) {
          case 'directory':
            await tree.directory(rel);
            break;
          case 'file':
            if (e.data === undefined) {
              await tree.remove(rel);
              throw new MemberError('too-large', `file skipped: ${e.skipped ?? 'no data'}`);
            }
            await tree.file(rel, e.data);
            break;
          case 'symlink':
            await tree.symlink(rel, e.linkName ?? '');
            break;
          case 'hardlink':
            await tree.hardlink(rel, e.linkName ?? '');
            break;
          default:
            // Devices and FIFOs hold nothing to inventory, and creating them needs privileges.
            continue;
        }
        ancestorsAndSelf(rel, touched);
        state.lastWriter.set(rel, digest);
      } catch (err) {
        if (err instanceof MemberError) problem(rel, err);
        else throw err;
      }
    }
  } catch (err) {
    if (err instanceof TarError) {
      throw bad(err.kind === 'too-large' ? `layer ${digest} is over a limit: ${err.message}` : `layer ${digest} is corrupt or truncated: ${err.message}`);
    }
    if (err instanceof VigilError) throw err;
    if ((err as NodeJS.ErrnoException).code === 'Z_BUF_ERROR' || (err as NodeJS.ErrnoException).code === 'Z_DATA_ERROR') {
      throw bad(`layer ${digest} is corrupt or truncated: ${describeError(err)}`);
    }
    throw err;
  } finally {
    stream.destroy();
  }
}

/** Every path under `dest`, without following symlinks: what the layers left behind. */
async function existing(dest: string): Promise<Set<string>> {
  const out = new Set<string>();
  const visit = async (rel: string): Promise<void> => {
    for (const d of await readdir(rel === '/' ? dest : path.join(dest, rel), { withFileTypes: true })) {
      const child = rel === '/' ? `/${d.name}` : `${rel}/${d.name}`;
      out.add(child);
      if (d.isDirectory()) await visit(child);
    }
  };
  await visit('/');
  return out;
}

/** Unpack a docker-archive or OCI layout tarball into `dest`, which must be empty or absent. */
export async function unpackImage(tarball: string, dest: string, opts: Partial<ImageLimits> = {}): Promise<UnpackedImage> {
  const lim = { ...DEFAULT_IMAGE_LIMITS, ...opts };
  let src;
  try {
    src = await hostFileSource(tarball);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new VigilError('NOT_FOUND', `no such image archive: ${tarball}`);
    throw err;
  }
  try {
    const head = src.size >= 2 ? await src.read(0, 2) : Buffer.alloc(0);
    if (head[0] === 0x1f && head[1] === 0x8b) throw bad(`${tarball} is gzip-compressed: decompress it first (gunzip), then scan the .tar`);
    const o: Outer = { file: tarball, src, members: new Map(), lim };
    o.members = await indexOuter(src, lim.maxEntries);
    const plan = o.members.has('index.json') && o.members.has('oci-layout') ? await ociPlan(o) : o.members.has('manifest.json') ? await dockerPlan(o) : undefined;
    if (!plan) throw bad(`${tarball} is neither a docker-archive (manifest.json) nor an OCI image layout (oci-layout, index.json)`);

    const layers: ImageLayer[] = [];
    const work: Array<{ m: Member; c: Compression; digest: string }> = [];
    let budget = lim.maxTotalBytes;
    for (const lp of plan.layers) {
      const m = o.members.get(lp.name);
      if (!m) throw bad(`layer ${lp.name} is listed by the image but missing from the archive`);
      const c = await compressionOf(o, m, lp.name);
      const v = await verifyLayer(o, lp, m, c, budget);
      budget -= v.bytes;
      layers.push({ digest: v.digest, size: m.size, ...(lp.diffId ? { diffId: lp.diffId } : {}) });
      work.push({ m, c, digest: v.digest });
    }

    await mkdir(dest, { recursive: true });
    const tree = new SafeTree(dest);
    const state = { entries: 0, bytes: 0, lastWriter: new Map<string, string>(), problems: [] as Problem[] };
    for (const w of work) await applyLayer(o, tree, w.m, w.c, w.digest, state);

    // Whiteouts and replaced directories leave entries for paths that no longer exist.
    const left = await existing(dest);
    for (const p of [...state.lastWriter.keys()]) if (!left.has(p)) state.lastWriter.delete(p);

    const config: ImageConfig = { os: String(plan.config.os ?? ''), architecture: String(plan.config.architecture ?? '') };
    if (typeof plan.config.created === 'string') config.created = plan.config.created;
    return { layers, config, ...(plan.repoTags ? { repoTags: plan.repoTags } : {}), lastWriter: state.lastWriter, problems: state.problems };
  } finally {
    await src.close();
  }
}

/**
 * `scan({ image })`: the image unpacked to a temporary root and scanned as one; each
 * component names the layer that last wrote the file it was found in.
 */
export async function scanImage(tarball: string, scanRoot: (root: string) => Promise<Inventory>): Promise<Inventory> {
  return withTempDir('vigil-image-', async (dir) => {
    const root = path.join(dir, 'rootfs');
    const img = await unpackImage(tarball, root);
    const inv = await scanRoot(root);
    inv.target = { kind: 'image', path: tarball };
    inv.image = { layers: img.layers, config: img.config, ...(img.repoTags ? { repoTags: img.repoTags } : {}) };
    for (const c of inv.components) {
      const file = c.locations[0]?.split(':')[0];
      if (!file) continue;
      let layer = img.lastWriter.get(file);
      if (layer === undefined) {
        // Found through a symlink (/lib → usr/lib): the layer wrote the file it points to.
        try {
          const real = resolveInRootSync(root, file);
          if (real !== undefined) layer = img.lastWriter.get(real);
        } catch {
          // a symlink loop: no layer to name
        }
      }
      if (layer !== undefined) c.metadata = { ...(c.metadata ?? {}), layer };
    }
    inv.problems = [...img.problems, ...inv.problems];
    return inv;
  });
}

