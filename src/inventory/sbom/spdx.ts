/**
 * SPDX 2.3 JSON, shaped like Syft's: a document-root package for the scanned target that
 * the document DESCRIBES and that CONTAINS every package, `Package-<type>-<name>-<hash>`
 * ids, purls as PACKAGE-MANAGER references. Unlike Syft (anchore/syft#3012) the
 * distribution is a package too, so consumers of SPDX alone learn the OS. SPDX has no
 * free-form properties: problems, ports and the running kernel become annotations.
 */
import type { Component, Inventory, OsInfo } from '../../common/model.js';
import {
  authorOf,
  compareStrings,
  componentKey,
  contentHash,
  displayVersion,
  documentText,
  normaliseInventory,
  oneLine,
  shortHash,
  supplierOf,
  timestamp,
  uniqueIds,
  uuidFromHash,
} from './common.js';
import { classifyLicenses, conjunction, formatLicenseExpression, licenseRefsIn, type LicenseNode } from './licenses.js';
import { SPDX_LICENSE_LIST_VERSION } from './spdx-license-list.js';

/**
 * `.invalid` (RFC 2606) because the namespace only has to be unique, not resolvable, and
 * Vigil runs self-hosted without a domain of its own.
 */
const NAMESPACE_BASE = 'https://vigil.invalid/spdx';
const NOASSERTION = 'NOASSERTION';

type Json = Record<string, unknown>;

interface ExtractedLicense {
  licenseId: string;
  extractedText: string;
  name: string;
}

/** SPDX ids allow letters, digits, `.` and `-` only. */
function idPart(s: string, max = 48): string {
  return s.replace(/[^A-Za-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, max) || 'x';
}

/**
 * `licenseDeclared` must be one SPDX expression: listed ids and valid expressions as they
 * are, free text as a `LicenseRef-` (with a hash, so `BSD License` and `BSD_License` stay
 * apart) whose text is defined in `hasExtractedLicensingInfos`.
 */
function declaredLicense(raw: string[] | undefined, extracted: Map<string, ExtractedLicense>): string {
  const nodes: LicenseNode[] = [];
  for (const l of classifyLicenses(raw)) {
    if (l.kind === 'id') nodes.push({ kind: 'license', id: l.id, plus: false });
    else if (l.kind === 'expression') {
      nodes.push(l.node);
      for (const ref of licenseRefsIn(l.node)) {
        if (!extracted.has(ref)) extracted.set(ref, { licenseId: ref, extractedText: l.raw, name: ref.slice('LicenseRef-'.length) });
      }
    } else {
      const id = `LicenseRef-${idPart(l.name, 40)}-${shortHash(l.name).slice(0, 8)}`;
      extracted.set(id, { licenseId: id, extractedText: l.name, name: oneLine(l.name) || id });
      nodes.push({ kind: 'license', id, plus: false });
    }
  }
  const all = conjunction(nodes);
  return all ? formatLicenseExpression(all) : NOASSERTION;
}

function actor(kind: 'Organization' | 'Person', p: { name: string; email?: string }): string {
  return `${kind}: ${p.name}${p.email ? ` (${p.email})` : ''}`;
}

function sourceInfo(c: Component): string {
  const parts: string[] = [];
  if (c.source) parts.push(`source package ${c.source.name}${c.source.version ? ` ${c.source.version}` : ''}`);
  parts.push(`found by ${c.foundBy} in ${c.locations.join(', ')}`);
  return oneLine(parts.join('; '));
}

function packageJson(c: Component, id: string, extracted: Map<string, ExtractedLicense>): Json {
  const supplier = supplierOf(c);
  const author = authorOf(c);
  return {
    name: c.name,
    SPDXID: id,
    versionInfo: displayVersion(c),
    supplier: supplier ? actor(supplier.kind, supplier) : NOASSERTION,
    originator: author ? actor('Person', author) : undefined,
    downloadLocation: NOASSERTION,
    filesAnalyzed: false,
    sourceInfo: sourceInfo(c),
    licenseConcluded: NOASSERTION,
    licenseDeclared: declaredLicense(c.licenses, extracted),
    copyrightText: NOASSERTION,
    externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: c.purl }],
    primaryPackagePurpose: c.ecosystem === 'generic' ? 'APPLICATION' : 'LIBRARY',
  };
}

/** `OPERATING_SYSTEM` with an underscore: the 2.3 JSON schema's spelling, which validators enforce. */
function osPackage(os: OsInfo): Json {
  return {
    name: os.id,
    SPDXID: `SPDXRef-OperatingSystem-${idPart(os.id)}${os.versionId ? `-${idPart(os.versionId)}` : ''}`,
    versionInfo: os.versionId,
    supplier: NOASSERTION,
    downloadLocation: NOASSERTION,
    filesAnalyzed: false,
    licenseConcluded: NOASSERTION,
    licenseDeclared: NOASSERTION,
    copyrightText: NOASSERTION,
    description: os.prettyName,
    primaryPackagePurpose: 'OPERATING_SYSTEM',
  };
}

function targetName(inv: Inventory): string {
  return inv.target.kind === 'host' && inv.host?.hostname ? inv.host.hostname : inv.target.path;
}

function rootPackage(inv: Inventory): Json {
  const prefix = { host: 'Host', rootfs: 'Rootfs', path: 'Path', image: 'Image' }[inv.target.kind];
  const purpose = { host: 'OPERATING_SYSTEM', rootfs: 'CONTAINER', path: 'FILE', image: 'CONTAINER' }[inv.target.kind];
  const facts: string[] = [`target ${inv.target.kind} ${inv.target.path}`];
  if (inv.host) {
    facts.push(`host ${inv.host.hostname}, ${inv.host.os}, ${inv.host.arch}`);
    if (inv.host.kernel) facts.push(`kernel ${inv.host.kernel}`);
    if (inv.host.addresses.length) facts.push(`addresses ${inv.host.addresses.join(', ')}`);
  }
  return {
    name: targetName(inv),
    SPDXID: `SPDXRef-DocumentRoot-${prefix}-${idPart(targetName(inv))}`,
    supplier: NOASSERTION,
    downloadLocation: NOASSERTION,
    filesAnalyzed: false,
    licenseConcluded: NOASSERTION,
    licenseDeclared: NOASSERTION,
    copyrightText: NOASSERTION,
    comment: oneLine(facts.join('; ')),
    primaryPackagePurpose: purpose,
  };
}

export function renderSpdx(input: Inventory): string {
  const inv = normaliseInventory(input);
  const created = timestamp(inv);
  const annotator = `Tool: ${inv.tool.name}-${inv.tool.version}`;
  const annotation = (comment: string): Json => ({ annotationDate: created, annotationType: 'OTHER', annotator, comment: oneLine(comment) });

  const ids = uniqueIds(inv.components, (c) => `SPDXRef-Package-${c.ecosystem}-${idPart(c.name)}-${componentKey(c)}`);
  const extracted = new Map<string, ExtractedLicense>();
  const packages = inv.components.map((c) => packageJson(c, ids.get(c)!, extracted));
  const byPurl = new Map<string, Json[]>();
  inv.components.forEach((c, i) => byPurl.set(c.purl, [...(byPurl.get(c.purl) ?? []), packages[i]!]));
  if (inv.os) packages.push(osPackage(inv.os));
  const root = rootPackage(inv);

  const notes = new Map<Json, string[]>();
  const note = (pkgs: Json[] | undefined, text: string): void => {
    for (const p of pkgs?.length ? pkgs : [root]) notes.set(p, [...(notes.get(p) ?? []), text]);
  };
  if (inv.kernel) {
    if (inv.kernel.running) note(inv.kernel.runningPackage ? byPurl.get(inv.kernel.runningPackage) : undefined, `running kernel ${inv.kernel.running}`);
    for (const purl of inv.kernel.installed) note(byPurl.get(purl), byPurl.has(purl) ? 'installed kernel package' : `installed kernel package ${purl}`);
  }
  for (const p of inv.ports ?? []) {
    const who = [p.process, p.pid !== undefined ? `pid ${p.pid}` : '', p.executable].filter(Boolean).join(' ');
    note(p.package ? byPurl.get(p.package) : undefined, `listening ${p.protocol} ${p.address}:${p.port} exposure ${p.exposure}${who ? ` by ${who}` : ''}`);
  }
  inv.components.forEach((c, i) => {
    if (c.metadata?.cache) note([packages[i]!], `found only in the package cache ${String(c.metadata.cache)}: downloaded, not necessarily installed`);
  });
  for (const [p, texts] of notes) p.annotations = texts.map(annotation);
  packages.push(root);

  const relationships: Json[] = packages
    .filter((p) => p !== root)
    .map((p) => ({ spdxElementId: root.SPDXID, relatedSpdxElement: p.SPDXID, relationshipType: 'CONTAINS' }));
  relationships.push({ spdxElementId: 'SPDXRef-DOCUMENT', relatedSpdxElement: root.SPDXID, relationshipType: 'DESCRIBES' });

  const name = targetName(inv);
  return documentText({
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name,
    documentNamespace: `${NAMESPACE_BASE}/${inv.target.kind}/${idPart(name, 64)}-${uuidFromHash(contentHash(inv))}`,
    creationInfo: {
      licenseListVersion: SPDX_LICENSE_LIST_VERSION,
      creators: [`Tool: ${inv.tool.name}-${inv.tool.version}`],
      created,
    },
    // A problem is as much a finding as a package: an unreadable rpmdb means unknown packages.
    annotations: inv.problems.length
      ? inv.problems.map((p) => annotation(`problem ${p.code} in ${p.collector} at ${p.path}: ${p.message}`))
      : undefined,
    packages,
    hasExtractedLicensingInfos: extracted.size
      ? [...extracted.values()].sort((a, b) => compareStrings(a.licenseId, b.licenseId))
      : undefined,
    relationships,
  });
}
