import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { componentKey } from '../../common/identity.js';
import { inventoryDigest } from '../../common/inventory-digest.js';
import type { Component, KernelInfo, OsInfo } from '../../common/model.js';
import { scan } from '../../inventory/scan.js';
import { rng } from '../api.js';
import { removeTree } from '../tree-copy.js';

/**
 * Simulated hosts' inventories: real package lists shipped as fixtures (a Debian 12
 * minbase dpkg status and an Ubuntu 18.04 one), each read by Vigil's own collectors
 * from a scratch root holding the status file and an os-release, then varied per
 * host (seeded): packages dropped, version bumps, packages taken from the other list.
 */

/** The known vulnerable package a finding probe adds: zip 3.0-13 is affected by CVE-2018-13410 in the bundled Debian feed. */
export const PROBE_PACKAGE = { name: 'zip', version: '3.0-13', cve: 'CVE-2018-13410' } as const;

export interface Profile {
  name: string;
  os?: OsInfo;
  kernel?: KernelInfo;
  components: Component[];
}

export interface ProfileSet {
  profiles: Profile[];
  /** PROBE_PACKAGE as the dpkg collector reads it on the Debian profile. */
  probe: Component;
}

const FIXTURES: Array<{ name: string; status: string; osRelease: string }> = [
  {
    name: 'debian12-minbase',
    status: 'test/fixtures/pkgdb/debian12-minbase-status',
    osRelease: 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\n',
  },
  {
    name: 'ubuntu18.04-trivy',
    status: 'test/fixtures/pkgdb/dpkg/trivy-valid-status',
    osRelease: 'NAME="Ubuntu"\nVERSION="18.04.6 LTS (Bionic Beaver)"\nID=ubuntu\nID_LIKE=debian\nVERSION_ID="18.04"\nVERSION_CODENAME=bionic\nUBUNTU_CODENAME=bionic\n',
  },
];

const PROBE_STANZA = `Package: ${PROBE_PACKAGE.name}\nStatus: install ok installed\nPriority: optional\nSection: utils\nInstalled-Size: 600\nMaintainer: Debian QA Group <packages@qa.debian.org>\nArchitecture: amd64\nVersion: ${PROBE_PACKAGE.version}\nDescription: Archiver for .zip files\n zip\n`;

async function scanStatus(tmp: string, name: string, status: string, osRelease: string): Promise<Profile> {
  const root = path.join(tmp, name);
  mkdirSync(path.join(root, 'var/lib/dpkg'), { recursive: true });
  mkdirSync(path.join(root, 'etc'), { recursive: true });
  writeFileSync(path.join(root, 'var/lib/dpkg/status'), status);
  writeFileSync(path.join(root, 'etc/os-release'), osRelease);
  const inv = await scan({ root, noLive: true });
  const p: Profile = { name, components: inv.components };
  if (inv.os) p.os = inv.os;
  if (inv.kernel) p.kernel = inv.kernel;
  return p;
}

/** Reads every fixture with the collectors (a few hundred ms), and the probe package. */
export async function loadProfiles(repo: string): Promise<ProfileSet> {
  const tmp = mkdtempSync(path.join(tmpdir(), 'vigil-fleet-sim-inv-'));
  try {
    const profiles: Profile[] = [];
    for (const f of FIXTURES) profiles.push(await scanStatus(tmp, f.name, readFileSync(path.join(repo, f.status), 'utf8'), f.osRelease));
    const base = readFileSync(path.join(repo, FIXTURES[0]!.status), 'utf8').trimEnd();
    const withProbe = await scanStatus(tmp, 'probe', `${base}\n\n${PROBE_STANZA}`, FIXTURES[0]!.osRelease);
    const known = new Set(profiles[0]!.components.map(componentKey));
    const probe = withProbe.components.find((c) => !known.has(componentKey(c)) && c.name === PROBE_PACKAGE.name);
    if (!probe) throw new Error(`the dpkg collector did not read the probe package ${PROBE_PACKAGE.name}`);
    for (const p of profiles) if (p.components.length === 0) throw new Error(`the collectors read no package from the ${p.name} fixture`);
    return { profiles, probe };
  } finally {
    removeTree(tmp);
  }
}

/** A component at another version: the version and the purl's version both changed. */
export function bumped(c: Component, tag: string): Component {
  const version = `${c.version}+${tag}`;
  const purl = c.purl.replace(`@${encodeURIComponent(c.version)}`, `@${encodeURIComponent(version)}`);
  return { ...c, version, purl: purl === c.purl ? c.purl.replace(`@${c.version}`, `@${version}`) : purl };
}

/**
 * Host `index`'s inventory: the profile it falls on (by index), about 5 % of its
 * packages dropped, 5 % bumped to a later version, and a few from the other profile added.
 */
export function hostInventory(set: ProfileSet, index: number, seed: number): Profile {
  const next = rng(seed * 1_000_003 + index + 1);
  const p = set.profiles[index % set.profiles.length]!;
  const other = set.profiles[(index + 1) % set.profiles.length]!;
  const out: Component[] = [];
  for (const c of p.components) {
    const r = next();
    if (r < 0.05) continue;
    out.push(r < 0.1 ? bumped(c, `h${index}`) : c);
  }
  const have = new Set(out.map(componentKey));
  for (let i = 0; i < 3 && other !== p; i++) {
    const c = other.components[Math.floor(next() * other.components.length)]!;
    if (!have.has(componentKey(c))) {
      out.push(c);
      have.add(componentKey(c));
    }
  }
  const h: Profile = { name: p.name, components: out };
  if (p.os) h.os = p.os;
  if (p.kernel) h.kernel = p.kernel;
  return h;
}

export { componentKey, inventoryDigest };
