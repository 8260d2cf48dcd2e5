import { createHash } from 'node:crypto';
import path from 'node:path';
import type { ByteSource } from '../common/byte-source.js';
import { VigilError, describeError } from '../common/errors.js';
import { indexTar, TarError, type TarMember } from '../common/tar.js';
import { DEFAULT_UNPACK_LIMITS, type UnpackLimits } from './archive.js';

/**
 * What an image archive holds, before anything is unpacked: the outer tar's index, the
 * docker-archive (manifest.json) or OCI layout (oci-layout, index.json) manifests and
 * the layer plan they give, every metadata blob checked against its digest.
 */

export type ImageLimits = UnpackLimits & {
  /** Bytes of a manifest, index or config read into memory. */
  maxMetadataBytes: number;
};

export const DEFAULT_IMAGE_LIMITS: ImageLimits = { ...DEFAULT_UNPACK_LIMITS, maxMetadataBytes: 16 * 1024 * 1024 };

export const SHA256 = /^sha256:([0-9a-f]{64})$/;

export function bad(message: string): VigilError {
  return new VigilError('INVALID_INPUT', message);
}

export type Member = TarMember;

/**
 * Names and data offsets of the outer archive's members (common/tar.ts indexTar):
 * layers can be gigabytes, and are then streamed from their offset instead of being
 * read once to find them and again to use them.
 */
export async function indexOuter(src: ByteSource, maxMembers: number): Promise<Map<string, Member>> {
  try {
    return await indexTar(src, maxMembers);
  } catch (err) {
    if (err instanceof TarError) throw bad(`image archive: ${err.message}`);
    throw err;
  }
}

export interface Outer {
  file: string;
  src: ByteSource;
  members: Map<string, Member>;
  lim: ImageLimits;
}

export async function readJson(o: Outer, name: string, expectDigest?: string): Promise<unknown> {
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

export function blobName(digest: unknown): string {
  const m = typeof digest === 'string' ? SHA256.exec(digest) : null;
  if (!m) throw bad(`unsupported or malformed digest ${JSON.stringify(String(digest).slice(0, 100))} (only sha256 is supported)`);
  return `blobs/sha256/${m[1]}`;
}

export const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export interface LayerPlan {
  name: string;
  /** Digest the image states for the blob, when it states one. */
  digest?: string;
  diffId?: string;
}

export interface Plan {
  layers: LayerPlan[];
  config: Record<string, unknown>;
  repoTags?: string[];
}

export function diffIds(config: Record<string, unknown>, layers: number): (string | undefined)[] {
  const ids = arr(obj(config.rootfs).diff_ids);
  if (ids.length === 0) return new Array<undefined>(layers).fill(undefined);
  if (ids.length !== layers) throw bad(`the image config lists ${ids.length} layer diff_ids but the manifest ${layers} layers`);
  return ids.map((d) => {
    if (typeof d !== 'string' || !SHA256.test(d)) throw bad(`unsupported or malformed diff_id ${JSON.stringify(String(d).slice(0, 100))}`);
    return d;
  });
}

export async function dockerPlan(o: Outer): Promise<Plan> {
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

export const INDEX_TYPES = new Set(['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json']);

export function platformOf(d: Record<string, unknown>): string {
  const p = obj(d.platform);
  return `${String(p.os ?? '?')}/${String(p.architecture ?? '?')}${p.variant ? '/' + String(p.variant) : ''}`;
}

/** The linux/amd64 manifest of an index, or its only image manifest; attestations (unknown/unknown) do not count. */
export function pickManifest(index: Record<string, unknown>): Record<string, unknown> {
  const all = arr(index.manifests).map(obj);
  const images = all.filter((d) => obj(d.platform).os !== 'unknown');
  const amd64 = images.filter((d) => obj(d.platform).os === 'linux' && obj(d.platform).architecture === 'amd64');
  if (amd64.length >= 1) return amd64[0]!;
  if (images.length === 1) return images[0]!;
  if (images.length === 0) throw bad('index.json lists no image manifest');
  throw bad(`the image index lists ${images.length} platforms (${images.map(platformOf).join(', ')}) and none is linux/amd64`);
}

export async function ociPlan(o: Outer): Promise<Plan> {
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
