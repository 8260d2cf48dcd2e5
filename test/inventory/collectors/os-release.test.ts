import { afterAll, describe, expect, it } from 'vitest';
import { readOsRelease } from '../../../src/inventory/collectors/os-release.js';
import { parseOsReleaseText } from '../../../src/inventory/collectors/os-release.parse.js';
import { makeRoot } from '../../helpers/fixtures.js';

const cleanups: Array<() => void> = [];
afterAll(() => cleanups.forEach((c) => c()));
function root(spec: Record<string, string | Buffer>) {
  const r = makeRoot(spec);
  cleanups.push(r.cleanup);
  return r.root;
}

const UBUNTU = `PRETTY_NAME="Ubuntu 22.04.4 LTS"
NAME="Ubuntu"
VERSION_ID="22.04"
VERSION="22.04.4 LTS (Jammy Jellyfish)"
VERSION_CODENAME=jammy
ID=ubuntu
ID_LIKE=debian
UBUNTU_CODENAME=jammy
`;

describe('os-release', () => {
  it('reads this machine', async () => {
    const res = await readOsRelease('/');
    expect(res.os?.id).toMatch(/^[a-z]/);
    expect(res.problems).toEqual([]);
  });

  it('selects the distro namespace from ID and VERSION_ID', async () => {
    const res = await readOsRelease(root({ 'etc/os-release': UBUNTU }));
    expect(res.os).toEqual({
      id: 'ubuntu',
      versionId: '22.04',
      versionCodename: 'jammy',
      prettyName: 'Ubuntu 22.04.4 LTS',
      name: 'Ubuntu',
      idLike: ['debian'],
      distro: 'ubuntu-22.04',
    });
  });

  it('falls back to /usr/lib/os-release and follows an absolute symlink inside the root only', async () => {
    const r = root({ 'usr/lib/os-release': 'ID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine Linux v3.19"\n' });
    const { symlinkSync, mkdirSync } = await import('node:fs');
    mkdirSync(`${r}/etc`, { recursive: true });
    symlinkSync('/usr/lib/os-release', `${r}/etc/os-release`);
    const res = await readOsRelease(r);
    expect(res.os?.distro).toBe('alpine-3.19.1');
    expect(res.path).toBe('/etc/os-release');
  });

  it('handles quoting and escapes as the shell would', () => {
    expect(parseOsReleaseText(`A="x \\"y\\" \\$z"\nB='lit $x'\nC=plain\n# comment\nbad line\n`)).toEqual({ A: 'x "y" $z', B: 'lit $x', C: 'plain' });
  });

  it('reads an old Debian codename from VERSION', async () => {
    const res = await readOsRelease(root({ 'etc/os-release': 'ID=debian\nVERSION_ID="9"\nVERSION="9 (stretch)"\n' }));
    expect(res.os?.versionCodename).toBe('stretch');
  });

  const bad: Array<[string, string | Buffer, RegExp]> = [
    ['binary garbage', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1]), /binary data/],
    ['no ID', 'NAME="Thing"\n', /no ID= field/],
    ['a hostile ID', 'ID="$(reboot)"\n', /not a valid os-release identifier/],
    ['a huge file', 'ID=x\n' + '#'.repeat(70_000), /over the 65536-byte limit/],
  ];
  it.each(bad)('reports %s clearly', async (_l, content, msg) => {
    const res = await readOsRelease(root({ 'etc/os-release': content }));
    expect(res.os).toBeUndefined();
    expect(res.problems[0]!.path).toBe('/etc/os-release');
    expect(res.problems[0]!.message).toMatch(msg);
  });
});
