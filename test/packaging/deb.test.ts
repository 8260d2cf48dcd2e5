import { execFileSync, spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { copyFileSync, existsSync, lstatSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultAgentConfig, loadAgentConfig } from '../../src/agent/config.js';
import { copyTree } from '../../src/bench/tree-copy.js';
import { dpkgQueryInstalled, rootfsFixture } from '../helpers/cli.js';
import { REPO, tempDir } from '../helpers/fixtures.js';

const VERSION = (JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
const UNITS = readdirSync(path.join(REPO, 'systemd')).filter((f) => /\.(service|socket|timer)$/.test(f));
const isRoot = process.getuid?.() === 0;

/** packaging/agent.yaml with its settings uncommented: a "#" goes unless prose ("# text") follows it. */
function uncommented(text: string): string {
  return text
    .split('\n')
    .map((l) => (/^#(?! \S)/.test(l) ? l.slice(1) : l))
    .join('\n');
}

describe('the packaged agent.yaml', () => {
  const tmp = tempDir('vigil-agent-yaml-');
  afterAll(tmp.cleanup);
  const shipped = readFileSync(path.join(REPO, 'packaging/agent.yaml'), 'utf8');

  it('loads as the built-in defaults, with server left unset until enrollment', () => {
    const file = path.join(tmp.dir, 'agent.yaml');
    writeFileSync(file, shipped);
    expect(loadAgentConfig(file)).toEqual(defaultAgentConfig());
    expect(shipped).toMatch(/^#server: /m);
  });

  it('documents the real defaults: uncommented, every setting loads and only the examples differ', () => {
    const file = path.join(tmp.dir, 'agent-uncommented.yaml');
    writeFileSync(file, uncommented(shipped));
    expect(loadAgentConfig(file)).toEqual({
      ...defaultAgentConfig(),
      server: 'vigil.example.org:8443',
      caFingerprint: '0123456789abcdef'.repeat(4),
      tags: { environment: 'production', service: 'web', team: 'platform', criticality: 'medium' },
    });
  });
});

describe.skipIf(!isRoot)('the .deb on a minimal Debian 12', () => {
  const tmp = tempDir('vigil-deb-');
  const root = path.join(tmp.dir, 'root');
  let deb = '';
  let rootfsPackages: string[] = [];
  let install: { result: SpawnSyncReturns<string>; ms: number; hadNode: boolean };
  afterAll(tmp.cleanup);

  beforeAll(() => {
    deb = execFileSync('bash', [path.join(REPO, 'packaging/build-deb.sh')], {
      encoding: 'utf8',
      env: { ...process.env, VIGIL_DEB_DIR: tmp.dir },
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 16 * 1024 * 1024,
    }).trim();
    const rootfs = rootfsFixture();
    rootfsPackages = dpkgQueryInstalled(path.join(rootfs, 'var/lib/dpkg'));
    copyTree(rootfs, root);
    copyFileSync(deb, path.join(root, 'tmp/vigil.deb'));
    const hadNode = existsSync(path.join(root, 'usr/bin/node'));
    const started = performance.now();
    const result = inRoot('dpkg', '-i', '/tmp/vigil.deb');
    install = { result, ms: performance.now() - started, hadNode };
  });

  /** A command inside the chroot, with a plain environment rather than the test runner's. */
  function inRoot(...argv: string[]): SpawnSyncReturns<string> {
    return spawnSync('chroot', [root, ...argv], {
      encoding: 'utf8',
      env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8', HOME: '/root' },
      maxBuffer: 64 * 1024 * 1024,
    });
  }
  function ok(r: SpawnSyncReturns<string>): string {
    expect(r.status, r.stderr).toBe(0);
    return r.stdout;
  }
  const field = (name: string) => execFileSync('dpkg-deb', ['--field', deb, name], { encoding: 'utf8' }).trim();

  it('is vigil_<package.json version>_amd64.deb with the control fields dpkg needs', () => {
    expect(path.basename(deb)).toBe(`vigil_${VERSION.replace('-', '~')}_amd64.deb`);
    expect(field('Package')).toBe('vigil');
    expect(field('Version')).toBe(VERSION.replace('-', '~'));
    expect(field('Architecture')).toBe('amd64');
    expect(field('Maintainer')).toMatch(/^.+ <.+@.+>$/);
    expect(field('Depends')).toMatch(/^libc6 \(>= 2\.\d+\), /);
    expect(Number(field('Installed-Size'))).toBeGreaterThan(100_000);
    expect(execFileSync('dpkg-deb', ['--info', deb, 'conffiles'], { encoding: 'utf8' }).trim()).toBe('/etc/vigil/agent.yaml');
    for (const script of ['postinst', 'prerm', 'postrm']) {
      const text = execFileSync('dpkg-deb', ['--info', deb, script], { encoding: 'utf8' });
      expect(text, script).not.toContain('@UNITS@');
      for (const unit of UNITS) expect(text, `${script}: ${unit}`).toMatch(new RegExp(`[ "]${unit.replaceAll('.', '\\.')}[ "]`));
    }
  });

  it('holds the runtime, the build, production dependencies only and the snapshot, owned and writable by root alone', () => {
    const lines = execFileSync('dpkg-deb', ['--contents', deb], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).trim().split('\n');
    const entries = lines.map((l) => {
      const [mode, owner, , , , ...rest] = l.split(/\s+/);
      return { mode: mode!, owner: owner!, path: rest.join(' ').replace(/ -> .*$/, '').replace(/^\.\//, '/').replace(/\/$/, '') };
    });
    const paths = new Set(entries.map((e) => e.path));
    for (const p of [
      '/usr/bin/vigil',
      '/usr/lib/vigil/node/bin/node',
      '/usr/lib/vigil/bin/vigil.js',
      '/usr/lib/vigil/package.json',
      '/usr/lib/vigil/dist/cli/main.js',
      '/usr/lib/vigil/dist/common/config.js',
      // The web console `vigil server run` serves at /console/.
      '/usr/lib/vigil/dist/console/index.html',
      '/usr/lib/vigil/data/feeds',
      '/usr/lib/vigil/node_modules/better-sqlite3/build/Release/better_sqlite3.node',
      '/usr/lib/vigil/node_modules/@grpc/grpc-js/package.json',
      // .vigilignore files are checked against this schema with ajv at run time.
      '/usr/lib/vigil/schemas/vigilignore.schema.json',
      // The published finding schemas, which src/matcher/finding-schema.ts validates against.
      '/usr/lib/vigil/schemas/finding.schema.json',
      '/usr/lib/vigil/schemas/host-finding.schema.json',
      '/usr/lib/vigil/node_modules/ajv/package.json',
      '/etc/vigil/agent.yaml',
      '/usr/share/doc/vigil/copyright',
      ...UNITS.map((u) => `/lib/systemd/system/${u}`),
    ])
      expect(paths, p).toContain(p);
    // Every file the console's page loads is in the package beside it.
    const page = readFileSync(path.join(root, 'usr/lib/vigil/dist/console/index.html'), 'utf8');
    const loads = [...page.matchAll(/(?:src|href)="\/console\/([^"]+)"/g)].map((m) => `/usr/lib/vigil/dist/console/${m[1]}`);
    expect(loads.filter((f) => f.endsWith('.js')).length).toBeGreaterThan(0);
    for (const f of loads) expect(paths, f).toContain(f);
    for (const dev of ['typescript', 'vitest', 'dependency-cruiser', 'protobufjs-cli', '@types/better-sqlite3'])
      expect(paths, dev).not.toContain(`/usr/lib/vigil/node_modules/${dev}`);
    expect([...paths].filter((p) => p.startsWith('/usr/lib/vigil/dist/') && (p.endsWith('.map') || p.startsWith('/usr/lib/vigil/dist/bench')))).toEqual([]);
    expect(entries.filter((e) => e.owner !== 'root/root')).toEqual([]);
    expect(entries.filter((e) => !e.mode.startsWith('l') && /^.{5}w|^.{8}w/.test(e.mode))).toEqual([]);
  });

  it('installs with dpkg -i on a debootstrap minbase root that has no Node.js', () => {
    expect(install.hadNode).toBe(false);
    expect(install.result.status, install.result.stderr).toBe(0);
    expect(install.ms).toBeLessThan(60_000);
  });

  it('runs vigil through its own runtime', () => {
    expect(ok(inRoot('vigil', '--version')).trim()).toBe(`vigil ${VERSION}`);
    expect(readFileSync(path.join(root, 'usr/bin/vigil'), 'utf8')).toContain('exec /usr/lib/vigil/node/bin/node /usr/lib/vigil/bin/vigil.js "$@"');
    const probe = 'const D=require("/usr/lib/vigil/node_modules/better-sqlite3");const db=new D(":memory:");console.log(process.versions.node, db.prepare("select sqlite_version() v").get().v)';
    const [node, sqlite] = ok(inRoot('/usr/lib/vigil/node/bin/node', '-e', probe)).trim().split(' ');
    expect(node).toMatch(/^24\./);
    expect(sqlite).toMatch(/^3\./);
  });

  it('serves its web console from vigil server run, as built, with the Content-Security-Policy', async () => {
    const child = spawn('chroot', [root, 'vigil', 'server', 'run', '--data-dir', '/tmp/vigil-server', '--listen', '127.0.0.1:0', '--api-listen', '127.0.0.1:0'], {
      env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8', HOME: '/root' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    try {
      let stderr = '';
      const api = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the packaged server did not start: ${stderr}`)), 120_000);
        child.stderr!.on('data', (d: Buffer) => {
          stderr += d.toString();
          const m = /listening on grpc \S+ api (\S+)\n/.exec(stderr);
          if (m) {
            clearTimeout(timer);
            resolve(`http://${m[1]!}`);
          }
        });
        child.on('exit', (code) => reject(new Error(`the packaged server exited (${code}): ${stderr}`)));
      });
      const page = await fetch(`${api}/console/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
      const html = await page.text();
      expect(html).toBe(readFileSync(path.join(root, 'usr/lib/vigil/dist/console/index.html'), 'utf8'));
      const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)?.[1];
      expect(script).toBeDefined();
      const js = await fetch(`${api}${script}`);
      expect(js.status).toBe(200);
      expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
      expect((await js.text()).length).toBeGreaterThan(10_000);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('runs SQLite without aborting when statements are collected at exit (nodejs/node#65446)', () => {
    // With better-sqlite3 12 compiled against Node 24.19+ headers this aborts on every run.
    const churn =
      'const D=require("/usr/lib/vigil/node_modules/better-sqlite3");const db=new D(":memory:");' +
      'for(let i=0;i<20000;i++)for(const _ of db.prepare(`select ${i}`).iterate());';
    for (let run = 0; run < 3; run++) ok(inRoot('/usr/lib/vigil/node/bin/node', '-e', churn));
  });

  it('vigil sbom --root / lists every dpkg package of the root, vigil itself included', () => {
    const bom = JSON.parse(ok(inRoot('vigil', 'sbom', '--root', '/', '--format', 'cyclonedx', '--quiet'))) as {
      components: { name: string; version: string; purl?: string }[];
    };
    const debs = bom.components.filter((c) => c.purl?.startsWith('pkg:deb/'));
    expect(debs).toHaveLength(rootfsPackages.length + 1);
    expect(debs.length).toBe(dpkgQueryInstalled(path.join(root, 'var/lib/dpkg')).length);
    expect(debs.find((c) => c.name === 'vigil')?.version).toBe(VERSION.replace('-', '~'));
    expect(debs.map((c) => c.name)).toEqual(expect.arrayContaining(rootfsPackages.map((l) => l.split('\t')[0]!.replace(/:.*$/, ''))));
  });

  it('creates the vigil system user and group, and leaves /var/lib/vigil to root', () => {
    const user = readFileSync(path.join(root, 'etc/passwd'), 'utf8').split('\n').find((l) => l.startsWith('vigil:'));
    expect(user).toBeDefined();
    const [, , uid, gid, , home, shell] = user!.split(':');
    expect(Number(uid)).toBeLessThan(1000);
    expect(home).toBe('/var/lib/vigil');
    expect(shell).toBe('/usr/sbin/nologin');
    expect(readFileSync(path.join(root, 'etc/group'), 'utf8')).toMatch(new RegExp(`^vigil:x:${gid}:`, 'm'));
    const st = statSync(path.join(root, 'var/lib/vigil'));
    expect([st.uid, st.gid, st.mode & 0o7777]).toEqual([0, 0, 0o755]);
  });

  it('installs agent.yaml as shipped, and the units with commands that exist in the root', () => {
    expect(readFileSync(path.join(root, 'etc/vigil/agent.yaml'), 'utf8')).toBe(readFileSync(path.join(REPO, 'packaging/agent.yaml'), 'utf8'));
    for (const unit of UNITS.filter((u) => u.endsWith('.service'))) {
      const text = readFileSync(path.join(root, 'lib/systemd/system', unit), 'utf8');
      const commands = [...text.matchAll(/^ExecStart=(\S+)/gm)].map((m) => m[1]!);
      expect(commands.length, unit).toBeGreaterThan(0);
      for (const c of commands) expect(statSync(path.join(root, c)).mode & 0o111, `${unit}: ${c}`).not.toBe(0);
    }
    const inventory = readFileSync(path.join(root, 'lib/systemd/system/vigil-inventory.service'), 'utf8');
    expect(inventory).not.toContain('/usr/bin/node');
    expect(inventory).toMatch(/^StateDirectoryMode=0755$/m);
    // The daily inventory is enabled; the agent, the server and the executor wait for the administrator.
    expect(lstatSync(path.join(root, 'etc/systemd/system/timers.target.wants/vigil-inventory.timer')).isSymbolicLink()).toBe(true);
    const enabled = execFileSync('find', [path.join(root, 'etc/systemd/system'), '-name', 'vigil-*'], { encoding: 'utf8' }).trim().split('\n');
    expect(enabled.map((p) => path.relative(path.join(root, 'etc/systemd/system'), p))).toEqual(['timers.target.wants/vigil-inventory.timer']);
  });

  it('leaves nothing under /usr/lib/vigil writable by anyone but root', () => {
    const loose = execFileSync('find', [path.join(root, 'usr/lib/vigil'), '!', '-type', 'l', '(', '-perm', '-g+w', '-o', '-perm', '-o+w', ')'], { encoding: 'utf8' });
    expect(loose).toBe('');
    expect(statSync(path.join(root, 'usr/lib/vigil')).uid).toBe(0);
  });

  it('dpkg -r removes the program and keeps the configuration; installing again brings the units back', () => {
    // The first scan imports the bundled snapshot, the second reads it.
    ok(inRoot('vigil', 'scan', '--root', '/', '--format', 'json', '--quiet'));
    ok(inRoot('vigil', 'scan', '--root', '/', '--format', 'json', '--quiet'));
    expect(existsSync(path.join(root, 'var/lib/vigil/advisories.db'))).toBe(true);
    expect(inRoot('dpkg', '-r', 'vigil').status).toBe(0);
    expect(existsSync(path.join(root, 'usr/lib/vigil'))).toBe(false);
    expect(existsSync(path.join(root, 'usr/bin/vigil'))).toBe(false);
    expect(existsSync(path.join(root, 'etc/vigil/agent.yaml'))).toBe(true);
    expect(readFileSync(path.join(root, 'etc/passwd'), 'utf8')).toMatch(/^vigil:/m);

    expect(inRoot('dpkg', '-i', '/tmp/vigil.deb').status).toBe(0);
    for (const unit of UNITS) expect(existsSync(path.join(root, 'etc/systemd/system', unit)), `${unit} masked`).toBe(false);
    expect(ok(inRoot('vigil', '--version')).trim()).toBe(`vigil ${VERSION}`);
    expect(inRoot('dpkg', '-r', 'vigil').status).toBe(0);
  });

  it('dpkg -P purges the configuration, the state, the unit links and the vigil user and group', () => {
    const r = inRoot('dpkg', '-P', 'vigil');
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(path.join(root, 'etc/vigil'))).toBe(false);
    expect(existsSync(path.join(root, 'var/lib/vigil'))).toBe(false);
    for (const f of ['etc/passwd', 'etc/group', 'etc/shadow', 'etc/gshadow'])
      expect(readFileSync(path.join(root, f), 'utf8'), f).not.toMatch(/^vigil:/m);
    const leftovers = execFileSync('find', [path.join(root, 'etc/systemd'), path.join(root, 'var/lib/systemd'), '-name', '*vigil*'], { encoding: 'utf8' });
    expect(leftovers).toBe('');
    expect(readdirSync(path.join(root, 'usr/lib')).filter((e) => e.includes('vigil'))).toEqual([]);
  });
});
