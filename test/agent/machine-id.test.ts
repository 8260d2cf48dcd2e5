import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { machineIdentity } from '../../src/agent/machine-id.js';
import { tempDir } from '../helpers/fixtures.js';

describe('the machine identity an agent enrols with', () => {
  it('is stable for one machine and state directory, differs per state directory, and never is the machine id itself', () => {
    const { dir, cleanup } = tempDir('vigil-machine-id-');
    try {
      const id = path.join(dir, 'machine-id');
      writeFileSync(id, '3d1219c7c4c5404aaa1f6d2a48adfda4\n');
      const a = machineIdentity('/var/lib/vigil/agent', [id]);
      expect(a).toMatch(/^[0-9a-f]{32}$/);
      expect(a).toBe(machineIdentity('/var/lib/vigil/agent/', [id]));
      expect(a).not.toBe('3d1219c7c4c5404aaa1f6d2a48adfda4');
      expect(machineIdentity('/srv/chroot-b/agent', [id])).not.toBe(a);
      writeFileSync(id, '0f1219c7c4c5404aaa1f6d2a48adfda4\n');
      expect(machineIdentity('/var/lib/vigil/agent', [id])).not.toBe(a);
    } finally {
      cleanup();
    }
  });

  it('is absent without a usable machine id, and the next file is read instead', () => {
    const { dir, cleanup } = tempDir('vigil-machine-id-');
    try {
      const first = path.join(dir, 'etc-machine-id');
      const second = path.join(dir, 'dbus-machine-id');
      expect(machineIdentity('/s', [first, second])).toBeUndefined();
      writeFileSync(first, 'uninitialized\n');
      expect(machineIdentity('/s', [first])).toBeUndefined();
      writeFileSync(second, 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n');
      expect(machineIdentity('/s', [first, second])).toMatch(/^[0-9a-f]{32}$/);
    } finally {
      cleanup();
    }
  });
});
