import { appendFileSync, chmodSync, mkdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyTree, removeTree } from '../../src/bench/tree-copy.js';
import { DEFAULT_BENCHMARK, loadBenchmark } from '../../src/checks/load.js';
import type { ChecksReport } from '../../src/checks/model.js';
import { runChecks } from '../../src/checks/run.js';
import { schemaErrors } from '../../src/matcher/json-schema.js';
import { rootfsFixture } from '../helpers/cli.js';
import { tempDir } from '../helpers/fixtures.js';

/**
 * The shipped Debian 12 benchmark on the cached debootstrap root (reference), on a
 * copy with a known set of settings made non-compliant (changed), and on a copy with
 * the failing settings made compliant (hardened). Every flip against the reference is
 * listed with why.
 */

const bench = loadBenchmark(DEFAULT_BENCHMARK);

/** A package record as dpkg keeps it: enough for the package fact, nothing installed on disk. */
function markInstalled(root: string, name: string, version: string): void {
  appendFileSync(path.join(root, 'var/lib/dpkg/status'), `\nPackage: ${name}\nStatus: install ok installed\nPriority: optional\nSection: admin\nArchitecture: amd64\nVersion: ${version}\nDescription: ${name}\n`);
}

function write(root: string, rel: string, text: string, mode?: number): void {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), text);
  if (mode !== undefined) chmodSync(path.join(root, rel), mode);
}

function link(root: string, rel: string, target: string): void {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  symlinkSync(target, path.join(root, rel));
}

const statuses = (r: ChecksReport) => new Map(r.results.map((x) => [x.id, x.status]));
function flips(a: ChecksReport, b: ChecksReport): Record<string, string> {
  const before = statuses(a);
  const out: Record<string, string> = {};
  for (const [id, st] of statuses(b)) if (before.get(id) !== st) out[id] = `${before.get(id)} -> ${st}`;
  return out;
}

let tmp: { dir: string; cleanup: () => void };
let reference: ChecksReport;
let changed: ChecksReport;
let hardened: ChecksReport;
let outside: string;

beforeAll(async () => {
  const fixture = rootfsFixture();
  tmp = tempDir('vigil-checks-');
  reference = await runChecks(bench, { root: fixture });

  const c = path.join(tmp.dir, 'changed');
  copyTree(fixture, c);
  markInstalled(c, 'openssh-server', '1:9.2p1-2+deb12u3');
  // The included file is read where Include stands, and sshd keeps the first value: "yes" wins.
  write(c, 'etc/ssh/sshd_config', 'Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin no\nX11Forwarding yes\nMatch User backup\n  X11Forwarding no\n', 0o644);
  write(c, 'etc/ssh/sshd_config.d/10-local.conf', 'PermitRootLogin yes\n');
  // /etc/sysctl.d masks the same name in /usr/lib/sysctl.d.
  write(c, 'usr/lib/sysctl.d/60-forward.conf', 'net.ipv4.ip_forward = 0\n');
  write(c, 'etc/sysctl.d/60-forward.conf', 'net.ipv4.ip_forward = 1\n');
  chmodSync(path.join(c, 'usr/bin/true'), 0o777);
  write(c, 'etc/vigil-open.conf', 'x\n', 0o666);
  chmodSync(path.join(c, 'etc/passwd'), 0o666);
  unlinkSync(path.join(c, 'etc/systemd/system/timers.target.wants/apt-daily-upgrade.timer'));
  // A link out of the root: the host file exists, the root has none, so the check must see none.
  outside = path.join(tmp.dir, 'outside-gshadow');
  writeFileSync(outside, 'x\n');
  rmSync(path.join(c, 'etc/gshadow'));
  link(c, 'etc/gshadow', `../../../../../../../../../..${outside}`);
  changed = await runChecks(bench, { root: c });

  const h = path.join(tmp.dir, 'hardened');
  copyTree(fixture, h);
  markInstalled(h, 'unattended-upgrades', '2.9.1+nmu3');
  markInstalled(h, 'systemd-timesyncd', '252.30-1~deb12u2');
  markInstalled(h, 'auditd', '1:3.0.9-1');
  write(h, 'etc/apt/apt.conf.d/20auto-upgrades', 'APT::Periodic::Update-Package-Lists "1";\nAPT::Periodic::Unattended-Upgrade "1";\n');
  write(h, 'etc/sysctl.d/60-hardening.conf', [
    'kernel.yama.ptrace_scope = 1',
    'net.ipv4.conf.all.send_redirects = 0',
    'net.ipv4.conf.all.accept_redirects = 0',
    'net.ipv4.conf.all.secure_redirects = 0',
    'net/ipv4/conf/all/rp_filter = 1',
    'net.ipv4.conf.all.log_martians = 1',
    '-net.ipv6.conf.all.accept_ra = 0',
  ].join('\n') + '\n');
  write(h, 'etc/security/limits.d/10-core.conf', '*\thard\tcore\t0\n');
  link(h, 'etc/systemd/system/sysinit.target.wants/systemd-timesyncd.service', '/lib/systemd/system/systemd-timesyncd.service');
  link(h, 'etc/systemd/system/multi-user.target.wants/auditd.service', '/lib/systemd/system/auditd.service');
  write(h, 'etc/audit/auditd.conf', 'max_log_file = 8\nmax_log_file_action = keep_logs\n');
  write(h, 'etc/login.defs', 'PASS_MAX_DAYS 365\nPASS_MIN_DAYS 1\nPASS_WARN_AGE 14\nENCRYPT_METHOD YESCRYPT\nUMASK 027\n');
  write(h, 'etc/default/useradd', 'SHELL=/bin/sh\nINACTIVE=30\n');
  hardened = await runChecks(bench, { root: h });
}, 300_000);

afterAll(() => {
  if (!tmp) return;
  for (const d of ['changed', 'hardened']) removeTree(path.join(tmp.dir, d));
  tmp.cleanup();
});

describe('the Debian 12 benchmark on debootstrap roots', () => {
  it('has 63 controls in 10 sections, and every report is valid against config-check-result.schema.json', () => {
    expect(Object.fromEntries(bench.sections.map((s) => [s.section, s.checks.length]))).toEqual({
      '1.2': 4, '1.5': 6, '2.1': 2, '2.2': 10, '3.3': 11, '4.1': 3, '4.2': 2, '5.2': 12, '5.5': 6, '6.1': 7,
    });
    for (const r of [reference, changed, hardened]) expect(schemaErrors('config-check-result.schema.json', JSON.parse(JSON.stringify(r)))).toEqual([]);
  });

  it('reads the reference minbase root: counts add up and compliance is passed over passed plus failed', () => {
    const s = reference.summary;
    expect(s.pass + s.fail + s.not_applicable + s.error).toBe(63);
    expect(s.error).toBe(0);
    expect(s.compliance_percent).toBe(Math.round((1000 * s.pass) / (s.pass + s.fail)) / 10);
    // minbase has no SSH server, no systemd, no auditd: those sections do not apply.
    for (const r of reference.results.filter((x) => x.section === '5.2' || x.section === '4.2')) expect(r.status).toBe('not_applicable');
  });

  it('the changed root flips exactly the changed settings', () => {
    expect(flips(reference, changed)).toEqual({
      // openssh-server is now installed: the SSH section applies.
      '5.2.1': 'not_applicable -> fail', // sshd_config is 0644, more than 0600
      '5.2.2': 'not_applicable -> pass', // LogLevel unset: sshd's default INFO
      '5.2.3': 'not_applicable -> fail', // MaxAuthTries unset: default 6 is over 4
      '5.2.4': 'not_applicable -> pass', // IgnoreRhosts default yes
      '5.2.5': 'not_applicable -> pass', // HostbasedAuthentication default no
      '5.2.6': 'not_applicable -> fail', // PermitRootLogin yes, from the included file read first
      '5.2.7': 'not_applicable -> pass', // PermitEmptyPasswords default no
      '5.2.8': 'not_applicable -> pass', // PermitUserEnvironment default no
      '5.2.9': 'not_applicable -> fail', // X11Forwarding yes (the Match block's no is not global)
      '5.2.10': 'not_applicable -> fail', // ClientAliveInterval default 0
      '5.2.11': 'not_applicable -> fail', // LoginGraceTime default 120 is over 60
      '5.2.12': 'not_applicable -> pass', // MaxSessions default 10
      '3.3.1': 'pass -> fail', // ip_forward 1 in /etc/sysctl.d masks the 0 of /usr/lib/sysctl.d
      '1.2.4': 'pass -> fail', // the apt-daily-upgrade.timer link was removed
      '6.1.1': 'pass -> fail', // /etc/passwd is 0666
      '6.1.6': 'pass -> fail', // /etc/gshadow links out of the root: inside the root it does not exist
      '6.1.7': 'pass -> fail', // /usr/bin/true 0777, /etc/vigil-open.conf and /etc/passwd 0666
    });
  });

  it('the changed root shows its evidence: file and line, the Match note, the paths found', () => {
    const by = new Map(changed.results.map((r) => [r.id, r]));
    expect(by.get('5.2.6')!.found.evidence).toEqual([{ path: '/etc/ssh/sshd_config.d/10-local.conf', line: 1, text: 'PermitRootLogin yes' }]);
    expect(by.get('5.2.9')!.found.notes?.join(' ')).toContain('1 Match block(s)');
    expect(by.get('3.3.1')!.found.evidence).toEqual([{ path: '/etc/sysctl.d/60-forward.conf', line: 1, text: 'net.ipv4.ip_forward = 1' }]);
    expect(by.get('6.1.7')!.found.value).toEqual(['/etc/passwd', '/etc/vigil-open.conf', '/usr/bin/true']);
    expect(by.get('6.1.6')!.found.evidence[0]!.text).toBe('does not exist');
    expect(by.get('6.1.6')!.reason).toBe('the file does not exist');
  });

  it('the hardened root flips every failed control to pass and brings auditd checks into play', () => {
    const expected: Record<string, string> = {};
    for (const r of reference.results) if (r.status === 'fail') expected[r.id] = 'fail -> pass';
    // auditd is now installed: its enabled unit and kept logs apply, and hold.
    expected['4.1.2'] = 'not_applicable -> pass';
    expected['4.1.3'] = 'not_applicable -> pass';
    expect(Object.keys(expected).sort()).toEqual(
      ['1.2.1', '1.2.2', '1.2.3', '1.5.2', '1.5.3', '2.1.1', '2.1.2', '3.3.2', '3.3.5', '3.3.6', '3.3.7', '3.3.9', '3.3.11', '4.1.1', '4.1.2', '4.1.3', '5.5.1.1', '5.5.1.2', '5.5.1.5', '5.5.4'].sort(),
    );
    expect(flips(reference, hardened)).toEqual(expected);
    expect(hardened.summary.fail).toBe(0);
    expect(hardened.summary.compliance_percent).toBe(100);
  });
});
