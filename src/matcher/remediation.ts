import type { Component, Ecosystem, TargetKind } from '../common/model.js';
import { DISTRIBUTIONS, distributionOf, languageOf, OS_PACKAGE_ECOSYSTEMS, type LanguageEcosystem, type OsPackageManager } from '../ecosystems/index.js';
import { schemeFor } from '../versions/index.js';
import type { Finding } from './finding.js';

/**
 * What to run to fix findings, with the component's own package manager (from the
 * ecosystem registry). Names come from package databases, so each is quoted for a
 * POSIX shell when shown; Vigil itself never runs these through a shell.
 */

/** The distribution of an OS package, from its purl (`pkg:rpm/amzn/bash@…?distro=amzn-2`). */
function osManager(c: { ecosystem: string; purl: string }): OsPackageManager | undefined {
  if (!OS_PACKAGE_ECOSYSTEMS.has(c.ecosystem)) return undefined;
  const m = /^pkg:[a-z]+\/([^/@?]+)\/[^?]*(?:\?(?:.*&)?distro=([^&#]+))?/.exec(c.purl);
  const id = m?.[1];
  const distro = m?.[2] ? decodeURIComponent(m[2]) : undefined;
  const d = id ? distributionOf({ id, distro: distro ?? '' }) : undefined;
  const versionId = distro?.startsWith(`${id}-`) ? distro.slice(id!.length + 1) : undefined;
  if (d && d.packages === c.ecosystem) return d.manager(versionId);
  // A package of an unknown distribution: the manager of the first distribution declaring its format (apt, dnf, apk…).
  return DISTRIBUTIONS.find((x) => x.packages === c.ecosystem)?.manager(undefined);
}

/** The fix for one finding, in one line: a command, or what to rebuild. */
export function remediation(c: Component, fixed: string | undefined): string | undefined {
  const os = osManager(c);
  if (os) return os.upgradeOne(c, fixed);
  return languageOf(c.ecosystem)?.remediation(c, fixed);
}

/** One group of the plan: the findings one upgrade fixes. */
export interface RemediationGroup {
  ecosystem: Ecosystem;
  /** The source package (deb, rpm) or the package itself. */
  package: string;
  /** Installed packages this group upgrades. */
  packages: string[];
  /** The version the fix is compared with: the source package's where the advisory names the source (Debian, Ubuntu). */
  installedVersion: string;
  /** The highest fixed version the findings need. */
  fixedVersion: string;
  vulnerabilities: string[];
  /** Why the command may not do it: held, pinned. */
  notes: string[];
}

/** One package manager's (or one build's) steps, in the order a person runs them. */
export interface RemediationStep {
  /** `apt`, `dnf`, `yum`, `zypper`, `apk`, `npm`, `pip`, `maven`, `go`. */
  manager: string;
  /** Where it applies: the host or image, a project directory, a binary. */
  where: string;
  /** Run these in order (the refresh first); a rebuild is said in words. */
  commands: string[];
  groups: RemediationGroup[];
}

export interface RemediationPlan {
  /** For an image the commands belong in its build, then the image is rebuilt and redeployed. */
  rebuildImage: boolean;
  steps: RemediationStep[];
  /** Findings with no fix yet: nothing to run, only to watch. */
  unfixed: string[];
}

interface Facts {
  held?: boolean;
  pinned?: string;
}

function factsOf(c: Component | undefined): Facts {
  const m = c?.metadata;
  return { ...(m?.held === true ? { held: true } : {}), ...(typeof m?.pinned === 'string' ? { pinned: m.pinned } : {}) };
}

function higher(f: Finding, a: string, b: string): string {
  const scheme = f.matches[0]?.scheme;
  if (!scheme) return a >= b ? a : b;
  try {
    return schemeFor(scheme).compare(a, b) >= 0 ? a : b;
  } catch {
    return a;
  }
}

/**
 * The fixes for a host's (or image's, or project's) findings as a person would run
 * them: one upgrade per package manager after its own refresh, grouped by source
 * package (so libssl3 and openssl are one fix), with a note when a package is held or
 * pinned; language packages per project directory; modules compiled into a binary as
 * a rebuild of that binary. `components` supplies what the package database says
 * (held, pinned); without it the plan has no notes.
 */
export function remediationPlan(findings: readonly Finding[], target: TargetKind, components: readonly Component[] = []): RemediationPlan {
  const byPurl = new Map<string, Component>();
  for (const c of components) byPurl.set(`${c.purl}\u0000${c.locations[0] ?? ''}`, c);
  const steps = new Map<string, RemediationStep>();
  const groups = new Map<string, RemediationGroup>();
  const osOf = new Map<RemediationStep, OsPackageManager>();
  const langOf = new Map<RemediationStep, LanguageEcosystem>();
  const unfixed = new Set<string>();
  for (const f of findings) {
    if (!f.fixedVersion || f.status !== 'fixed') {
      unfixed.add(f.vulnerability);
      continue;
    }
    const c = f.component;
    const os = osManager(c);
    const lang = os ? undefined : languageOf(c.ecosystem);
    if (!os && !lang) continue;
    const location = c.locations[0] ?? '';
    const manager = os ? os.name : lang!.manager;
    const where = os ? (target === 'image' ? 'the image' : 'the host') : lang!.where(location);
    const stepKey = os ? manager : `${manager}\u0000${where}`;
    let step = steps.get(stepKey);
    if (!step) {
      steps.set(stepKey, (step = { manager, where, commands: [], groups: [] }));
      if (os) osOf.set(step, os);
      else langOf.set(step, lang!);
    }
    const pkg = os ? (c.source?.name ?? c.name) : c.name;
    const gKey = `${stepKey}\u0000${pkg}`;
    let g = groups.get(gKey);
    if (!g) {
      groups.set(gKey, (g = { ecosystem: c.ecosystem, package: pkg, packages: [], installedVersion: f.matches[0]?.comparedVersion ?? f.installedVersion, fixedVersion: f.fixedVersion, vulnerabilities: [], notes: [] }));
      step.groups.push(g);
    }
    if (!g.packages.includes(c.name)) {
      g.packages.push(c.name);
      const facts = factsOf(byPurl.get(`${c.purl}\u0000${location}`));
      if (facts.held && os) g.notes.push(`${c.name} is ${os.held(c.name)}`);
      if (facts.pinned) g.notes.push(`${c.name} is pinned (${facts.pinned}): the upgrade stops at the pin`);
    }
    g.fixedVersion = higher(f, g.fixedVersion, f.fixedVersion);
    if (!g.vulnerabilities.includes(f.vulnerability)) g.vulnerabilities.push(f.vulnerability);
  }
  for (const step of steps.values()) {
    // The Go toolchain first: it is what a rebuild starts from.
    step.groups.sort((a, b) => (a.package === 'stdlib' ? -1 : b.package === 'stdlib' ? 1 : a.package < b.package ? -1 : a.package > b.package ? 1 : 0));
    for (const g of step.groups) {
      g.packages.sort();
      g.vulnerabilities.sort();
    }
    const os = osOf.get(step);
    if (os) step.commands = [os.refresh, os.upgrade([...new Set(step.groups.flatMap((g) => g.packages))].sort())];
    else step.commands = langOf.get(step)!.planCommands(step.groups, step.where);
  }
  // OS package managers first (these in this order, any other after them), then the language ones.
  const order = ['apt', 'dnf', 'yum', 'zypper', 'apk'];
  const rank = (st: RemediationStep): number => (osOf.has(st) ? (order.includes(st.manager) ? order.indexOf(st.manager) : order.length) : order.length + 1);
  const sorted = [...steps.values()].sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    if (ra !== rb) return ra - rb;
    return a.manager < b.manager ? -1 : a.manager > b.manager ? 1 : a.where < b.where ? -1 : a.where > b.where ? 1 : 0;
  });
  return { rebuildImage: target === 'image', steps: sorted, unfixed: [...unfixed].sort() };
}

/** The plan as text for a terminal: commands indented to copy, each group on one line. */
export function renderRemediationPlan(plan: RemediationPlan): string {
  if (plan.steps.length === 0) return plan.unfixed.length ? `remediation: no fix is available yet for ${plan.unfixed.length} vulnerabilities\n` : '';
  const lines = [plan.rebuildImage ? 'remediation (in the image build, then rebuild and redeploy the image):' : 'remediation:'];
  for (const s of plan.steps) {
    lines.push(`  ${s.manager} (${s.where}):`);
    for (const c of s.commands) lines.push(`    ${c}`);
    for (const g of s.groups) {
      const pk = g.packages.length === 1 && g.packages[0] === g.package ? g.package : `${g.package}: ${g.packages.join(', ')}`;
      const vulns = g.vulnerabilities.length > 3 ? `${g.vulnerabilities.slice(0, 3).join(', ')} and ${g.vulnerabilities.length - 3} more` : g.vulnerabilities.join(', ');
      lines.push(`      ${pk} ${g.installedVersion} -> ${g.fixedVersion} fixes ${vulns}`);
      for (const n of g.notes) lines.push(`      note: ${n}`);
    }
  }
  if (plan.unfixed.length) lines.push(`  no fix available yet: ${plan.unfixed.length} vulnerabilities`);
  return lines.join('\n') + '\n';
}
