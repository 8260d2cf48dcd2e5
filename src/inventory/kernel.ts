import { readFile } from 'node:fs/promises';
import type { Component, KernelInfo } from '../common/model.js';

/**
 * The running kernel and the kernel packages installed. After an upgrade
 * without a reboot the installed kernel is fixed while the running one is not,
 * so findings on the kernel must name the package of the running release.
 */

export interface KernelOptions {
  /** Host path of the scanned root; its kernel files are known through `owners`, keyed inside it. */
  root: string;
  /** Only a live host has a running kernel worth reporting. */
  live: boolean;
  components: Component[];
  /** Path → owning package (see `canonicalOwners`); sharpens both answers when given. */
  owners?: Map<string, Component>;
  /** Where procfs is mounted on a live host (default `/proc`). */
  procRoot?: string;
}

/** Files that are a kernel image: Debian/Ubuntu `/boot/vmlinuz-<release>`, Fedora/RHEL 8+ `/lib/modules/<release>/vmlinuz`, Alpine `/boot/vmlinuz-<flavor>`. */
const KERNEL_IMAGE = /^(?:\/boot\/(?:vmlinu[xz]|Image|zImage|bzImage)-[^/]+|(?:\/usr)?\/lib\/modules\/[^/]+\/vmlinu[xz])$/;

/**
 * Kernel image packages by name, for when file lists are unknown. Debian's
 * `linux-image-amd64` and Ubuntu's `linux-image-generic` are meta packages
 * (their names carry no release) and `-dbg` ships only debug symbols.
 */
const KERNEL_NAMES: Partial<Record<Component['ecosystem'], RegExp>> = {
  deb: /^linux-image-(?:unsigned-)?\d+\.\d+\S*$(?<!-dbg)(?<!-dbgsym)/,
  rpm: /^kernel(?:-(?:core|default|uek|uek-core|rt|rt-core|64k|64k-core|debug|debug-core|lpae|PAE|PAE-core|azure|preempt|zfcpdump))?$/,
  apk: /^linux-(?:lts|virt|edge|stable|rpi\d*)$/,
};

export async function kernelInfo(opts: KernelOptions): Promise<KernelInfo> {
  const info: KernelInfo = { installed: installedKernels(opts.components, opts.owners).map((c) => c.purl) };
  if (!opts.live) return info;
  const release = await runningRelease(opts.procRoot ?? '/proc');
  if (release === undefined) return info;
  info.running = release;
  const pkg = runningPackage(release, opts.components, opts.owners);
  if (pkg) info.runningPackage = pkg.purl;
  return info;
}

async function runningRelease(procRoot: string): Promise<string | undefined> {
  try {
    return (await readFile(`${procRoot}/sys/kernel/osrelease`, 'utf8')).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Installed kernel packages, sorted by purl. With file owners, the packages that
 * own a kernel image (which also catches custom-named kernels); without them,
 * or when no owned image is found, the name patterns.
 */
export function installedKernels(components: Component[], owners?: Map<string, Component>): Component[] {
  const present = new Set(components);
  const found = new Set<Component>();
  if (owners) {
    for (const [file, owner] of owners) {
      if (KERNEL_IMAGE.test(file) && present.has(owner)) found.add(owner);
    }
  }
  if (found.size === 0) {
    for (const c of components) if (KERNEL_NAMES[c.ecosystem]?.test(c.name)) found.add(c);
  }
  return [...found].sort((a, b) => (a.purl < b.purl ? -1 : a.purl > b.purl ? 1 : 0));
}

/**
 * The package that ships the running release: the owner of its image or of its
 * release-specific modules directory, else the package whose name and version
 * spell the release. A release-independent path (Alpine's `/boot/vmlinuz-lts`)
 * names the installed package, not necessarily the running one, so it is not used.
 */
export function runningPackage(release: string, components: Component[], owners?: Map<string, Component>): Component | undefined {
  const present = new Set(components);
  if (owners) {
    for (const file of [
      `/boot/vmlinuz-${release}`,
      `/boot/vmlinux-${release}`,
      `/boot/Image-${release}`,
      `/lib/modules/${release}/vmlinuz`,
      `/usr/lib/modules/${release}/vmlinuz`,
    ]) {
      const owner = owners.get(file);
      if (owner && present.has(owner)) return owner;
    }
    const prefixes = [`/lib/modules/${release}/`, `/usr/lib/modules/${release}/`];
    const moduleOwners = new Set<Component>();
    for (const [file, owner] of owners) {
      if (present.has(owner) && prefixes.some((p) => file.startsWith(p))) moduleOwners.add(owner);
    }
    if (moduleOwners.size > 0) {
      const kernels = new Set(installedKernels(components, owners));
      const ranked = [...moduleOwners].sort((a, b) => Number(kernels.has(b)) - Number(kernels.has(a)) || (a.purl < b.purl ? -1 : 1));
      return ranked[0];
    }
  }
  // Fedora's `kernel` is a meta package beside `kernel-core`, with the same version.
  const named = components.filter((c) => nameMatchesRelease(c, release));
  return named.find((c) => c.name.endsWith('-core')) ?? named[0];
}

function nameMatchesRelease(c: Component, release: string): boolean {
  switch (c.ecosystem) {
    case 'deb':
      return c.name === `linux-image-${release}` || c.name === `linux-image-unsigned-${release}` || c.name === `linux-image-${release}-unsigned`;
    case 'rpm':
      return rpmMatchesRelease(c, release);
    case 'apk': {
      // 6.6.14-0-lts is linux-lts 6.6.14-r0.
      const m = /^(.+)-(\d+)-([a-z][a-z0-9]*)$/.exec(release);
      return !!m && c.name === `linux-${m[3]}` && c.version === `${m[1]}-r${m[2]}`;
    }
    default:
      return false;
  }
}

function rpmMatchesRelease(c: Component, release: string): boolean {
  if (!KERNEL_NAMES.rpm!.test(c.name) || !c.release) return false;
  // Fedora/RHEL: 6.5.6-300.fc39.x86_64, debug kernels add +debug.
  const plus = release.indexOf('+');
  const base = plus < 0 ? release : release.slice(0, plus);
  const flavor = plus < 0 ? undefined : release.slice(plus + 1);
  if (`${c.version}-${c.release}.${c.arch ?? ''}` === base || `${c.version}-${c.release}` === base) {
    return flavor === undefined ? !c.name.includes('debug') : c.name.includes(flavor);
  }
  // SUSE: 5.14.21-150500.55.39-default is kernel-default 5.14.21-150500.55.39.1.
  const suse = /^(.+?)-(.+)-([a-z0-9]+)$/.exec(release);
  if (suse && c.name === `kernel-${suse[3]}` && c.version === suse[1]) {
    return c.release === suse[2] || c.release.startsWith(`${suse[2]}.`);
  }
  return false;
}
