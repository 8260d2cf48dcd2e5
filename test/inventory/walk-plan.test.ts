import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cacheDecision, cacheRuleFor, mountSkipReason, mountSkips, parseMountInfo } from '../../src/inventory/walk-plan.js';

/** Lines of /proc/self/mountinfo as the kernel wrote them on a Debian 12 VM running a container. */
const MOUNTINFO = [
  '21 26 0:20 / /proc rw,relatime - proc proc rw',
  '22 26 0:21 / /sys rw,relatime - sysfs sysfs rw',
  '23 26 0:6 / /dev rw,relatime - devtmpfs devtmpfs rw,size=12334808k,nr_inodes=3083702,mode=755',
  '24 23 0:22 / /dev/shm rw,relatime - tmpfs tmpfs rw,size=24683748k',
  '26 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard,resv_strict,resuid=65534,resgid=65534',
  '30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755',
  '31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu',
  '40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw',
  '41 26 0:45 / /srv/share rw,relatime shared:7 - nfs4 fileserver:/export rw,vers=4.2',
  '42 26 0:46 / /home/ana/remote\\040disk rw,nosuid,nodev,relatime - fuse.sshfs ana@box:/ rw,user_id=1000',
  '43 26 254:0 /var/lib/app /opt/app rw,relatime - ext4 /dev/vda rw',
  '44 26 0:47 / /run rw,nosuid,nodev - tmpfs tmpfs rw,mode=755',
].join('\n');

describe('mountinfo', () => {
  it('reads every field the walk needs, unescaping \\040 in mount points', () => {
    const { mounts, errors } = parseMountInfo(MOUNTINFO);
    expect(errors).toEqual([]);
    expect(mounts).toHaveLength(12);
    expect(mounts[9]).toEqual({ mountPoint: '/home/ana/remote disk', fsType: 'fuse.sshfs', source: 'ana@box:/' });
    expect(mounts[8]).toEqual({ mountPoint: '/srv/share', fsType: 'nfs4', source: 'fileserver:/export' });
  });

  it('skips pseudo and network file systems under the root, never the root, and walks local disks and bind mounts', () => {
    const skips = mountSkips(parseMountInfo(MOUNTINFO).mounts, '/');
    expect(Object.fromEntries(skips)).toEqual({
      '/proc': 'pseudo file system (proc)',
      '/sys': 'pseudo file system (sysfs)',
      '/dev': 'pseudo file system (devtmpfs)',
      '/dev/shm': 'pseudo file system (tmpfs)',
      '/sys/fs/cgroup': 'pseudo file system (tmpfs)',
      '/sys/fs/cgroup/cpu': 'pseudo file system (cgroup)',
      '/sys/fs/cgroup/unified': 'pseudo file system (cgroup2)',
      '/srv/share': 'network file system (nfs4)',
      '/home/ana/remote disk': 'network file system (fuse.sshfs)',
      '/run': 'pseudo file system (tmpfs)',
    });
  });

  it('gives the skips of a root below / relative to that root', () => {
    const skips = mountSkips(parseMountInfo(MOUNTINFO).mounts, '/srv');
    expect([...skips.keys()]).toEqual(['/share']);
  });

  it('decides by the mount visible last when a point is mounted twice', () => {
    const text = '50 26 0:50 / /data rw - tmpfs tmpfs rw\n51 50 254:1 / /data rw - ext4 /dev/vdb rw';
    expect(mountSkips(parseMountInfo(text).mounts, '/').size).toBe(0);
  });

  it('reports lines that are not mountinfo records by number and reads the rest', () => {
    const { mounts, errors } = parseMountInfo(`garbage\n${MOUNTINFO.split('\n')[0]}\n1 2 3\n\u0000\u0001`);
    expect(mounts.map((m) => m.mountPoint)).toEqual(['/proc']);
    expect(errors).toEqual(['line 1: not a mountinfo record', 'line 3: not a mountinfo record', 'line 4: not a mountinfo record']);
  });

  it("reads this machine's own mountinfo and finds /proc a pseudo file system", () => {
    const { mounts, errors } = parseMountInfo(readFileSync('/proc/self/mountinfo', 'utf8'));
    expect(errors).toEqual([]);
    const proc = mounts.filter((m) => m.mountPoint === '/proc').at(-1);
    expect(proc && mountSkipReason(proc.fsType)).toBe('pseudo');
    expect(mountSkipReason('ext4')).toBeUndefined();
    expect(mountSkipReason('overlay')).toBeUndefined();
  });
});

describe('caches', () => {
  const none = (): boolean => false;
  const host = (): string => '/nonexistent';
  const rule = (rel: string, sibling: (n: string) => boolean = none) => cacheRuleFor(rel, rel.slice(rel.lastIndexOf('/') + 1), sibling, host);

  it("recognises a cache by the end of its path, in any user's home", () => {
    expect(rule('/root/.m2/repository')?.cache).toBe('maven-local-repository');
    expect(rule('/var/lib/jenkins/.m2/repository')?.cache).toBe('maven-local-repository');
    expect(rule('/home/ana/.npm/_cacache')?.cache).toBe('npm-cache');
    expect(rule('/home/ana/.cache')?.cache).toBe('user-cache');
    expect(rule('/var/cache')?.cache).toBe('system-cache');
    expect(rule('/srv/var/cache')).toBeUndefined();
    expect(rule('/opt/repository')).toBeUndefined();
  });

  it('tells a cache from a look-alike by what lies beside or inside it', () => {
    expect(rule('/opt/conda/pkgs', (n) => n === 'conda-meta')?.cache).toBe('conda-package-cache');
    expect(rule('/srv/app/pkgs')).toBeUndefined();
    // The Go module cache has cache/download inside; a source tree's pkg/mod does not.
    expect(rule('/root/go/pkg/mod')).toBeUndefined();
  });

  it('walks and marks the caches other scanners report, skips the others unless caches are asked for', () => {
    expect(cacheDecision(rule('/root/.m2/repository')!, false)).toEqual({ skip: false, cache: 'maven-local-repository', keep: [] });
    expect(cacheDecision(rule('/root/.cache')!, false)).toMatchObject({ skip: true, keep: ['pypoetry/virtualenvs'] });
    expect(cacheDecision(rule('/root/.cache')!, true)).toEqual({ skip: false, cache: 'user-cache', keep: ['pypoetry/virtualenvs'] });
  });
});
