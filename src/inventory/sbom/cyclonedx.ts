/**
 * CycloneDX 1.6 JSON. Layout follows Syft's output (which Grype and Dependency-Track read):
 * one `library` per package, Syft-style `vigil:` property names, the distribution as an
 * `operating-system` component, a purl-based `bom-ref`. Facts the core schema has no field
 * for (problems, kernel, host, target) become `metadata.properties`, never dropped.
 */
import type { Component, Inventory, ListeningPort, OsInfo } from '../../common/model.js';
import {
  authorOf,
  comparePropertyNameParts,
  componentKey,
  contentHash,
  displayVersion,
  documentText,
  normaliseInventory,
  shortHash,
  supplierOf,
  timestamp,
  uniqueIds,
  uuidFromHash,
} from './common.js';
import { classifyLicenses, conjunction, formatLicenseExpression, type LicenseNode } from './licenses.js';

interface Property {
  name: string;
  value: string;
}

type Json = Record<string, unknown>;

/** Flattens values Syft-style: lists become `prefix:<i>`, nulls and empty strings are skipped. */
function push(props: Property[], name: string, value: unknown): void {
  if (value === undefined || value === null || value === '') return;
  if (Array.isArray(value)) value.forEach((v, i) => push(props, `${name}:${i}`, v));
  else props.push({ name, value: String(value) });
}

function sorted(props: Property[]): Property[] | undefined {
  if (!props.length) return undefined;
  // Each name is split once, not at every comparison.
  const keyed = props.map((p) => ({ p, parts: p.name.split(':') }));
  keyed.sort((a, b) => comparePropertyNameParts(a.parts, b.parts) || (a.p.value < b.p.value ? -1 : a.p.value > b.p.value ? 1 : 0));
  return keyed.map((k) => k.p);
}

/**
 * Syft's `bom-ref`: the purl with a `package-id` qualifier, so it stays a parseable purl
 * (Syft reads a purl back from it) while two copies of a package at different locations
 * get different refs. Inserted before any `#subpath`.
 */
function bomRef(c: Component): string {
  const key = componentKey(c);
  if (!c.purl.startsWith('pkg:')) return `vigil:component:${key}`;
  const id = `package-id=${key}`;
  const hash = c.purl.indexOf('#');
  const head = hash < 0 ? c.purl : c.purl.slice(0, hash);
  const tail = hash < 0 ? '' : c.purl.slice(hash);
  return `${head}${head.includes('?') ? '&' : '?'}${id}${tail}`;
}

/**
 * `group` as the ecosystems' own CycloneDX tools write it: the Maven groupId, and the npm
 * scope with its `@` (cyclonedx-npm writes group `@cyclonedx`, name `cyclonedx-library`), and the
 * Composer vendor (cyclonedx-php-composer writes group `guzzlehttp`, name `psr7`).
 */
function groupAndName(c: Component): { group?: string; name: string } {
  if (c.ecosystem === 'maven' && c.namespace) return { group: c.namespace, name: c.name };
  if (c.ecosystem === 'npm') {
    const m = /^(@[^/]+)\/(.+)$/.exec(c.name);
    if (m) return { group: m[1]!, name: m[2]! };
  }
  if (c.ecosystem === 'composer') {
    const slash = c.name.indexOf('/');
    if (slash > 0) return { group: c.name.slice(0, slash), name: c.name.slice(slash + 1) };
  }
  return { name: c.name };
}

/**
 * CycloneDX takes either a list of `license` objects or exactly one `expression`, never
 * both. When every string is SPDX, they are joined with AND into one expression (a package
 * under several licenses is under all of them); otherwise each is listed, with expressions
 * kept as names, as Syft does, so free text is never forced into SPDX syntax.
 */
function licenses(raw: string[] | undefined): Json[] | undefined {
  const classified = classifyLicenses(raw);
  if (!classified.length) return undefined;
  const hasName = classified.some((l) => l.kind === 'name');
  const hasExpression = classified.some((l) => l.kind === 'expression');
  if (hasExpression && !hasName) {
    const nodes = classified.flatMap((l): LicenseNode[] =>
      l.kind === 'id' ? [{ kind: 'license', id: l.id, plus: false }] : l.kind === 'expression' ? [l.node] : [],
    );
    return [{ expression: formatLicenseExpression(conjunction(nodes)!) }];
  }
  return classified.map((l) =>
    l.kind === 'id' ? { license: { id: l.id } } : { license: { name: l.kind === 'name' ? l.name : l.text } },
  );
}

function kernelRole(c: Component, inv: Inventory): string | undefined {
  if (!inv.kernel) return undefined;
  if (inv.kernel.runningPackage === c.purl) return 'running';
  return inv.kernel.installed.includes(c.purl) ? 'installed' : undefined;
}

function componentJson(c: Component, ref: string, inv: Inventory): Json {
  const props: Property[] = [];
  push(props, 'vigil:package:ecosystem', c.ecosystem);
  push(props, 'vigil:package:foundBy', c.foundBy);
  push(props, 'vigil:package:arch', c.arch);
  push(props, 'vigil:package:epoch', c.epoch);
  push(props, 'vigil:package:release', c.release);
  push(props, 'vigil:package:sourceName', c.source?.name);
  push(props, 'vigil:package:sourceVersion', c.source?.version);
  push(props, 'vigil:package:inUse', c.inUse);
  push(props, 'vigil:package:kernel', kernelRole(c, inv));
  // Found only in a package cache (a Maven local repository): downloaded, not necessarily installed.
  push(props, 'vigil:cache', c.metadata?.cache);
  c.locations.forEach((path, i) => push(props, `vigil:location:${i}:path`, path));
  for (const [key, value] of Object.entries(c.metadata ?? {})) if (key !== 'cache') push(props, `vigil:metadata:${key}`, value);

  const { group, name } = groupAndName(c);
  const supplier = supplierOf(c);
  const author = authorOf(c);
  return {
    'bom-ref': ref,
    type: c.ecosystem === 'generic' ? 'application' : 'library',
    supplier: supplier ? { name: supplier.name, ...(supplier.email ? { contact: [{ email: supplier.email }] } : {}) } : undefined,
    authors: author ? [{ name: author.name, ...(author.email ? { email: author.email } : {}) }] : undefined,
    group,
    name,
    version: displayVersion(c),
    licenses: licenses(c.licenses),
    purl: c.purl,
    properties: sorted(props),
  };
}

/** The distribution as Syft writes it: name = os-release ID, version = VERSION_ID, a SWID tag. */
function osComponent(os: OsInfo): Json {
  const props: Property[] = [];
  for (const [key, value] of Object.entries(os)) push(props, `vigil:distro:${key}`, value);
  return {
    'bom-ref': os.versionId ? `os:${os.id}@${os.versionId}` : `os:${os.id}`,
    type: 'operating-system',
    name: os.id,
    version: os.versionId,
    description: os.prettyName,
    swid: { tagId: os.id, name: os.id, ...(os.versionId ? { version: os.versionId } : {}) },
    properties: sorted(props),
  };
}

function targetComponent(inv: Inventory): Json {
  const type = inv.target.kind === 'host' ? 'operating-system' : inv.target.kind === 'rootfs' || inv.target.kind === 'image' ? 'container' : 'file';
  const name = inv.target.kind === 'host' && inv.host?.hostname ? inv.host.hostname : inv.target.path;
  return { 'bom-ref': `vigil:target:${shortHash(inv.target.kind, inv.target.path)}`, type, name };
}

function metadataProperties(inv: Inventory): Property[] | undefined {
  const props: Property[] = [];
  push(props, 'vigil:inventory:schemaVersion', inv.schemaVersion);
  push(props, 'vigil:target:kind', inv.target.kind);
  push(props, 'vigil:target:path', inv.target.path);
  if (inv.host) {
    push(props, 'vigil:host:hostname', inv.host.hostname);
    push(props, 'vigil:host:os', inv.host.os);
    push(props, 'vigil:host:arch', inv.host.arch);
    push(props, 'vigil:host:kernel', inv.host.kernel);
    push(props, 'vigil:host:address', inv.host.addresses);
  }
  if (inv.kernel) {
    push(props, 'vigil:kernel:running', inv.kernel.running);
    push(props, 'vigil:kernel:runningPackage', inv.kernel.runningPackage);
    push(props, 'vigil:kernel:installed', inv.kernel.installed);
  }
  // A problem is as much a finding as a package: an unreadable rpmdb means unknown packages.
  inv.problems.forEach((p, i) => {
    push(props, `vigil:problem:${i}:collector`, p.collector);
    push(props, `vigil:problem:${i}:path`, p.path);
    push(props, `vigil:problem:${i}:code`, p.code);
    push(props, `vigil:problem:${i}:message`, p.message);
  });
  return sorted(props);
}

/**
 * `tcp://0.0.0.0:22`, `udp://[::1]:53`: the scheme is the transport, IPv6 in brackets. An
 * IPv6 zone (`fe80::1%eth0`) is left out: RFC 3986 has no syntax for it and validators
 * reject RFC 6874's; `vigil:port:address` keeps the full address.
 */
function endpoint(p: ListeningPort): string {
  const scheme = p.protocol.startsWith('tcp') ? 'tcp' : 'udp';
  const address = p.address.replace(/%.*$/, '');
  return `${scheme}://${address.includes(':') ? `[${address}]` : address}:${p.port}`;
}

/**
 * Listening sockets as `services`, one per socket: CycloneDX's place for something that
 * accepts connections, with the endpoint as a URI. The core schema cannot point a service
 * at the component that implements it, so `vigil:port:component` names its bom-ref(s).
 */
function services(ports: ListeningPort[], refsByPurl: Map<string, string[]>): Json[] | undefined {
  if (!ports.length) return undefined;
  const ids = uniqueIds(ports, (p) => `vigil:port:${p.protocol}:${p.address}:${p.port}`);
  return ports.map((p) => {
    const props: Property[] = [];
    push(props, 'vigil:port:protocol', p.protocol);
    push(props, 'vigil:port:address', p.address);
    push(props, 'vigil:port:port', p.port);
    push(props, 'vigil:port:exposure', p.exposure);
    push(props, 'vigil:port:inode', p.inode);
    push(props, 'vigil:port:pid', p.pid);
    push(props, 'vigil:port:process', p.process);
    push(props, 'vigil:port:executable', p.executable);
    push(props, 'vigil:port:package', p.package);
    for (const ref of p.package ? (refsByPurl.get(p.package) ?? []) : []) push(props, 'vigil:port:component', ref);
    const name = p.process || (p.executable ? p.executable.slice(p.executable.lastIndexOf('/') + 1) : '') || `${p.protocol}/${p.port}`;
    return { 'bom-ref': ids.get(p)!, name, endpoints: [endpoint(p)], properties: sorted(props) };
  });
}

/**
 * The CycloneDX document as an object, with the bom-ref of every component, so a
 * report can add sections (vulnerabilities) that point at components.
 */
export function cycloneDxDocument(input: Inventory): { doc: Record<string, unknown>; refOf: (c: Pick<Component, 'purl' | 'locations'>) => string | undefined } {
  const inv = normaliseInventory(input);
  const refs = uniqueIds(inv.components, bomRef);
  const refsByPurl = new Map<string, string[]>();
  const refByKey = new Map<string, string>();
  for (const c of inv.components) {
    refsByPurl.set(c.purl, [...(refsByPurl.get(c.purl) ?? []), refs.get(c)!]);
    refByKey.set(`${c.purl}\u0000${c.locations.join('\u0000')}`, refs.get(c)!);
  }

  const components = inv.components.map((c) => componentJson(c, refs.get(c)!, inv));
  if (inv.os) components.push(osComponent(inv.os));

  const doc: Record<string, unknown> = {
    $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: `urn:uuid:${uuidFromHash(contentHash(inv))}`,
    version: 1,
    metadata: {
      timestamp: timestamp(inv),
      tools: { components: [{ type: 'application', name: inv.tool.name, version: inv.tool.version }] },
      component: targetComponent(inv),
      properties: metadataProperties(inv),
    },
    components,
    services: services(inv.ports ?? [], refsByPurl),
  };
  return { doc, refOf: (c) => refByKey.get(`${c.purl}\u0000${[...new Set(c.locations)].sort().join('\u0000')}`) };
}

export function renderCycloneDx(input: Inventory): string {
  return documentText(cycloneDxDocument(input).doc);
}
