import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { VigilError, describeError } from '../common/errors.js';
import type { Inventory, Problem } from '../common/model.js';
import { readTar, TarError } from '../common/tar.js';
import { hostFileSource, MemberError, memberPath, SafeTree, withTempDir } from './archive.js';
import { resolveInRootSync } from './rootfs.js';
import {
  bad,
  DEFAULT_IMAGE_LIMITS,
  dockerPlan,
  type ImageLimits,
  indexOuter,
  type LayerPlan,
  type Member,
  ociPlan,
  type Outer,
} from './image-plan.js';

export { DEFAULT_IMAGE_LIMITS, type ImageLimits } from './image-plan.js';

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

const BLOCK = 512;
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

