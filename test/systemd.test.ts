import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO, tempDir } from './helpers/fixtures.js';

const units = readdirSync(path.join(REPO, 'systemd')).filter((f) => /\.(service|timer|socket)$/.test(f));
const tmp = tempDir('vigil-units-');
afterAll(tmp.cleanup);

describe('systemd units', () => {
  it.each(units)('%s passes systemd-analyze verify', (unit) => {
    for (const u of units) copyFileSync(path.join(REPO, 'systemd', u), path.join(tmp.dir, u));
    const r = spawnSync('systemd-analyze', ['verify', path.join(tmp.dir, unit)], { encoding: 'utf8' });
    // verify warns on stderr about anything it dislikes; a clean unit prints nothing.
    expect(r.stderr.trim()).toBe('');
    expect(r.status).toBe(0);
  });

  it('the inventory service is hardened to an exposure level of 2.0 or better', () => {
    copyFileSync(path.join(REPO, 'systemd/vigil-inventory.service'), path.join(tmp.dir, 'vigil-inventory.service'));
    const out = execFileSync('systemd-analyze', ['security', '--offline=yes', path.join(tmp.dir, 'vigil-inventory.service')], { encoding: 'utf8' });
    const m = /Overall exposure level for vigil-inventory\.service: ([0-9.]+)/.exec(out);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeLessThanOrEqual(2.0);
  });
});
