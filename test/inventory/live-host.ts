import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { Component } from '../../src/common/model.js';
import { formatPurl } from '../../src/common/purl.js';

/**
 * This machine's dpkg packages and the files they own, read the minimal way
 * (dpkg-query for the package list, `info/*.list` for files), so live tests can
 * join /proc to real packages without depending on the dpkg collector.
 */

const run = promisify(execFile);
const INFO = '/var/lib/dpkg/info';

export const hasDpkg = existsSync('/usr/bin/dpkg-query') && existsSync(INFO);

export interface HostPackages {
  components: Component[];
  owners: Map<string, Component>;
}

let cached: Promise<HostPackages> | undefined;

export function hostDpkgPackages(): Promise<HostPackages> {
  cached ??= load();
  return cached;
}

async function load(): Promise<HostPackages> {
  const { stdout } = await run('dpkg-query', ['-W', '-f', '${db:Status-Abbrev}\t${binary:Package}\t${Package}\t${Version}\t${Architecture}\n'], {
    maxBuffer: 64 * 1024 * 1024,
  });
  const components: Component[] = [];
  const owners = new Map<string, Component>();
  await Promise.all(
    stdout
      .split('\n')
      .filter((l) => l.startsWith('ii'))
      .map(async (line) => {
        const [, binary, name, version, arch] = line.split('\t') as [string, string, string, string, string];
        const c: Component = {
          ecosystem: 'deb',
          name,
          version,
          arch,
          purl: formatPurl({ type: 'deb', namespace: 'debian', name, version, qualifiers: { arch } }),
          locations: ['/var/lib/dpkg/status'],
          foundBy: 'test-dpkg',
        };
        components.push(c);
        const list = await readFile(`${INFO}/${binary}.list`, 'utf8').catch(() => readFile(`${INFO}/${name}.list`, 'utf8').catch(() => ''));
        for (const p of list.split('\n')) if (p.startsWith('/') && p !== '/.') owners.set(p, c);
      }),
  );
  return { components, owners };
}

/** The package dpkg itself says owns `path` (`dpkg-query -S`), the reference answer. */
export async function dpkgOwnerName(path: string): Promise<string | undefined> {
  try {
    const { stdout } = await run('dpkg-query', ['-S', path]);
    const m = /^([^:,\s]+)(?::[^:\s]+)?: /.exec(stdout);
    return m?.[1];
  } catch {
    return undefined;
  }
}
