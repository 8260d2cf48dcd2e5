import { VigilError } from '../errors.js';
import type { Component, Ecosystem, Exposure, HostFacts, KernelInfo, ListeningPort, OsInfo } from '../model.js';
import { vigil } from './generated/agent.js';
import {
  type DeltaMsg,
  type ResyncReason,
  type SnapshotChunkMsg,
} from './messages.js';

import { invalid, Reader, u64In } from './checks.js';

/** Vigil's inventory model to and from its protobuf messages, with the enum tables (see codec.ts). */

const pb = vigil.v1;

// ---------------------------------------------------------------- enums

/**
 * The ecosystems the wire's enum has a value for, frozen with it: any other travels
 * by name (`ecosystem_name`), so a new ecosystem needs no change here.
 */
export const ECOSYSTEMS: Readonly<Record<string, number>> = {
  deb: pb.Ecosystem.ECOSYSTEM_DEB,
  rpm: pb.Ecosystem.ECOSYSTEM_RPM,
  apk: pb.Ecosystem.ECOSYSTEM_APK,
  npm: pb.Ecosystem.ECOSYSTEM_NPM,
  pypi: pb.Ecosystem.ECOSYSTEM_PYPI,
  maven: pb.Ecosystem.ECOSYSTEM_MAVEN,
  golang: pb.Ecosystem.ECOSYSTEM_GOLANG,
  cargo: pb.Ecosystem.ECOSYSTEM_CARGO,
  gem: pb.Ecosystem.ECOSYSTEM_GEM,
  nuget: pb.Ecosystem.ECOSYSTEM_NUGET,
  composer: pb.Ecosystem.ECOSYSTEM_COMPOSER,
  generic: pb.Ecosystem.ECOSYSTEM_GENERIC,
};
export const PROTOCOLS: Record<ListeningPort['protocol'], number> = {
  tcp: pb.Protocol.PROTOCOL_TCP,
  tcp6: pb.Protocol.PROTOCOL_TCP6,
  udp: pb.Protocol.PROTOCOL_UDP,
  udp6: pb.Protocol.PROTOCOL_UDP6,
};
export const EXPOSURES: Record<Exposure, number> = {
  loopback: pb.Exposure.EXPOSURE_LOOPBACK,
  private: pb.Exposure.EXPOSURE_PRIVATE,
  any: pb.Exposure.EXPOSURE_ANY,
};
export const RESYNC_REASONS: Record<ResyncReason, number> = {
  'seq-gap': pb.ResyncReason.RESYNC_REASON_SEQ_GAP,
  'digest-mismatch': pb.ResyncReason.RESYNC_REASON_DIGEST_MISMATCH,
  'epoch-changed': pb.ResyncReason.RESYNC_REASON_EPOCH_CHANGED,
  'server-state-lost': pb.ResyncReason.RESYNC_REASON_SERVER_STATE_LOST,
};

export function reverse<T extends string>(table: Record<T, number>): Map<number, T> {
  return new Map(Object.entries(table).map(([k, v]) => [v as number, k as T]));
}
export const ECOSYSTEM_OF = reverse(ECOSYSTEMS) as Map<number, Ecosystem>;
/** A purl type as the purl specification allows it (lower case here, as Vigil writes it). */
const ECOSYSTEM_NAME = /^[a-z][a-z0-9.+-]{0,31}$/;
export const PROTOCOL_OF = reverse(PROTOCOLS);
export const EXPOSURE_OF = reverse(EXPOSURES);
export const RESYNC_REASON_OF = reverse(RESYNC_REASONS);

// ---------------------------------------------------------------- inventory model

export type MetaValue = NonNullable<Component['metadata']>[string];

export function componentOut(c: Component): vigil.v1.IComponent {
  const legacy = Object.hasOwn(ECOSYSTEMS, c.ecosystem) ? ECOSYSTEMS[c.ecosystem] : undefined;
  const m: vigil.v1.IComponent = {
    ecosystem: legacy ?? pb.Ecosystem.ECOSYSTEM_UNSPECIFIED,
    name: c.name,
    version: c.version,
    purl: c.purl,
    locations: c.locations,
    foundBy: c.foundBy,
  };
  if (c.namespace !== undefined) m.namespace = c.namespace;
  if (c.arch !== undefined) m.arch = c.arch;
  if (c.epoch !== undefined) m.epoch = c.epoch;
  if (c.release !== undefined) m.release = c.release;
  if (c.source) {
    m.sourceName = c.source.name;
    if (c.source.version !== undefined) m.sourceVersion = c.source.version;
  }
  if (c.licenses?.length) m.licenses = c.licenses;
  if (c.metadata) {
    const meta: Record<string, string> = {};
    for (const k of Object.keys(c.metadata).sort()) {
      const v = c.metadata[k];
      if (v !== undefined) meta[k] = JSON.stringify(v);
    }
    m.metadata = meta;
  }
  if (legacy === undefined) m.ecosystemName = c.ecosystem;
  return m;
}

export function metaValue(r: Reader, json: string, field: string): MetaValue {
  let v: unknown;
  try {
    v = JSON.parse(r.str(json, field));
  } catch (err) {
    if (err instanceof VigilError) throw err;
    invalid(field, 'value is not valid JSON');
  }
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  return invalid(field, 'value must be a JSON string, number, boolean, null or list of strings');
}

function ecosystemIn(r: Reader, m: vigil.v1.IComponent, f: string): Ecosystem {
  const name = r.optStr(m.ecosystemName, `${f}.ecosystem_name`);
  if (name === undefined) return r.enumOf(m.ecosystem, ECOSYSTEM_OF, `${f}.ecosystem`);
  if (m.ecosystem) invalid(`${f}.ecosystem_name`, 'set together with ecosystem; a component has one');
  if (!ECOSYSTEM_NAME.test(name)) invalid(`${f}.ecosystem_name`, 'not a purl type (lower-case letters, digits, ".", "+" or "-", at most 32)');
  return name as Ecosystem;
}

export function componentIn(r: Reader, m: vigil.v1.IComponent, f: string): Component {
  const c: Component = {
    ecosystem: ecosystemIn(r, m, f),
    name: r.str(m.name, `${f}.name`, true),
    version: r.str(m.version, `${f}.version`),
    purl: r.str(m.purl, `${f}.purl`, true),
    locations: r.strings(m.locations, `${f}.locations`),
    foundBy: r.str(m.foundBy, `${f}.found_by`, true),
  };
  const namespace = r.optStr(m.namespace, `${f}.namespace`);
  if (namespace !== undefined) c.namespace = namespace;
  const arch = r.optStr(m.arch, `${f}.arch`);
  if (arch !== undefined) c.arch = arch;
  if (m.epoch != null) c.epoch = m.epoch;
  const release = r.optStr(m.release, `${f}.release`);
  if (release !== undefined) c.release = release;
  const sourceName = r.optStr(m.sourceName, `${f}.source_name`);
  const sourceVersion = r.optStr(m.sourceVersion, `${f}.source_version`);
  if (sourceName !== undefined) c.source = sourceVersion !== undefined ? { name: sourceName, version: sourceVersion } : { name: sourceName };
  else if (sourceVersion !== undefined) invalid(`${f}.source_version`, 'set without source_name');
  const licenses = r.strings(m.licenses, `${f}.licenses`);
  if (licenses.length) c.licenses = licenses;
  if (m.metadata) {
    const keys = Object.keys(m.metadata);
    if (keys.length > r.lim.maxListItems) invalid(`${f}.metadata`, `${keys.length} entries exceed the limit of ${r.lim.maxListItems}`);
    if (keys.length) {
      c.metadata = Object.fromEntries(
        keys.map((k) => [r.str(k, `${f}.metadata key`), metaValue(r, m.metadata![k]!, `${f}.metadata[${JSON.stringify(k.slice(0, 64))}]`)]),
      );
    }
  }
  return c;
}

export function portOut(p: ListeningPort): vigil.v1.IListeningPort {
  const m: vigil.v1.IListeningPort = {
    protocol: PROTOCOLS[p.protocol],
    address: p.address,
    port: p.port,
    exposure: EXPOSURES[p.exposure],
    inode: u64In(p.inode, 'port.inode'),
  };
  if (p.pid !== undefined) m.pid = p.pid;
  if (p.process !== undefined) m.process = p.process;
  if (p.executable !== undefined) m.executable = p.executable;
  if (p.package !== undefined) m.package = p.package;
  return m;
}

export function portIn(r: Reader, m: vigil.v1.IListeningPort, f: string): ListeningPort {
  const port = m.port ?? 0;
  if (port > 65535) invalid(`${f}.port`, `${port} is not a port number`);
  const p: ListeningPort = {
    protocol: r.enumOf(m.protocol, PROTOCOL_OF, `${f}.protocol`),
    address: r.str(m.address, `${f}.address`, true),
    port,
    exposure: r.enumOf(m.exposure, EXPOSURE_OF, `${f}.exposure`),
    inode: r.u64(m.inode, `${f}.inode`),
  };
  if (m.pid != null) p.pid = m.pid;
  const process = r.optStr(m.process, `${f}.process`);
  if (process !== undefined) p.process = process;
  const executable = r.optStr(m.executable, `${f}.executable`);
  if (executable !== undefined) p.executable = executable;
  const pkg = r.optStr(m.package, `${f}.package`);
  if (pkg !== undefined) p.package = pkg;
  return p;
}

export function portsIn(r: Reader, m: vigil.v1.IPortSet | null | undefined, f: string): ListeningPort[] | undefined {
  if (!m) return undefined;
  return r.count(m.ports, `${f}.ports`, r.lim.maxPorts).map((p, i) => portIn(r, p, `${f}.ports[${i}]`));
}

export function factsOut(h: HostFacts): vigil.v1.IHostFacts {
  const m: vigil.v1.IHostFacts = { hostname: h.hostname, os: h.os, arch: h.arch, addresses: h.addresses };
  if (h.kernel !== undefined) m.kernel = h.kernel;
  return m;
}

export function factsIn(r: Reader, m: vigil.v1.IHostFacts | null | undefined, f: string): HostFacts | undefined {
  if (!m) return undefined;
  const h: HostFacts = {
    hostname: r.str(m.hostname, `${f}.hostname`, true),
    os: r.str(m.os, `${f}.os`),
    arch: r.str(m.arch, `${f}.arch`),
    addresses: r.strings(m.addresses, `${f}.addresses`),
  };
  const kernel = r.optStr(m.kernel, `${f}.kernel`);
  if (kernel !== undefined) h.kernel = kernel;
  return h;
}

export function osOut(o: OsInfo): vigil.v1.IOsInfo {
  const m: vigil.v1.IOsInfo = { id: o.id, distro: o.distro };
  if (o.versionId !== undefined) m.versionId = o.versionId;
  if (o.versionCodename !== undefined) m.versionCodename = o.versionCodename;
  if (o.prettyName !== undefined) m.prettyName = o.prettyName;
  if (o.name !== undefined) m.name = o.name;
  if (o.idLike?.length) m.idLike = o.idLike;
  return m;
}

export function osIn(r: Reader, m: vigil.v1.IOsInfo | null | undefined, f: string): OsInfo | undefined {
  if (!m) return undefined;
  const o: OsInfo = { id: r.str(m.id, `${f}.id`, true), distro: r.str(m.distro, `${f}.distro`, true) };
  const versionId = r.optStr(m.versionId, `${f}.version_id`);
  if (versionId !== undefined) o.versionId = versionId;
  const codename = r.optStr(m.versionCodename, `${f}.version_codename`);
  if (codename !== undefined) o.versionCodename = codename;
  const pretty = r.optStr(m.prettyName, `${f}.pretty_name`);
  if (pretty !== undefined) o.prettyName = pretty;
  const name = r.optStr(m.name, `${f}.name`);
  if (name !== undefined) o.name = name;
  const idLike = r.strings(m.idLike, `${f}.id_like`);
  if (idLike.length) o.idLike = idLike;
  return o;
}

export function kernelOut(k: KernelInfo): vigil.v1.IKernelInfo {
  const m: vigil.v1.IKernelInfo = { installed: k.installed };
  if (k.running !== undefined) m.running = k.running;
  if (k.runningPackage !== undefined) m.runningPackage = k.runningPackage;
  return m;
}

export function kernelIn(r: Reader, m: vigil.v1.IKernelInfo | null | undefined, f: string): KernelInfo | undefined {
  if (!m) return undefined;
  const k: KernelInfo = { installed: r.strings(m.installed, `${f}.installed`) };
  const running = r.optStr(m.running, `${f}.running`);
  if (running !== undefined) k.running = running;
  const runningPackage = r.optStr(m.runningPackage, `${f}.running_package`);
  if (runningPackage !== undefined) k.runningPackage = runningPackage;
  return k;
}

/** Copies the optional inventory parts shared by snapshots and deltas. */
export function tailIn(r: Reader, m: vigil.v1.ISnapshotChunk | vigil.v1.IDelta, f: string, into: SnapshotChunkMsg | DeltaMsg): void {
  const ports = portsIn(r, m.ports, f);
  if (ports) into.ports = ports;
  const facts = factsIn(r, m.facts, `${f}.facts`);
  if (facts) into.facts = facts;
  const os = osIn(r, m.os, `${f}.os`);
  if (os) into.os = os;
  const kernel = kernelIn(r, m.kernel, `${f}.kernel`);
  if (kernel) into.kernel = kernel;
  if (m.inUse) into.inUse = r.strings(m.inUse.keys, `${f}.in_use.keys`, r.lim.maxComponents);
}

export function tailOut(msg: SnapshotChunkMsg | DeltaMsg, m: vigil.v1.ISnapshotChunk | vigil.v1.IDelta): void {
  if (msg.ports) m.ports = { ports: msg.ports.map(portOut) };
  if (msg.facts) m.facts = factsOut(msg.facts);
  if (msg.os) m.os = osOut(msg.os);
  if (msg.kernel) m.kernel = kernelOut(msg.kernel);
  if (msg.inUse) m.inUse = { keys: [...msg.inUse].sort() };
}
