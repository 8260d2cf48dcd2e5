import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { schemaErrors } from '../../src/matcher/json-schema.js';
import { rootfsFixture, vigil } from '../helpers/cli.js';
import { tempDir } from '../helpers/fixtures.js';

describe('vigil checks', () => {
  it('prints JSON valid against config-check-result.schema.json, with compliance from its own counts', async () => {
    const r = await vigil(['checks', '--root', rootfsFixture(), '--format', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { summary: { pass: number; fail: number; compliance_percent: number }; results: unknown[] };
    expect(schemaErrors('config-check-result.schema.json', doc)).toEqual([]);
    expect(doc.results).toHaveLength(63);
    expect(doc.summary.compliance_percent).toBe(Math.round((1000 * doc.summary.pass) / (doc.summary.pass + doc.summary.fail)) / 10);
  });

  it('prints a table with the percentage and its basis, and --fail-on fail exits 1 when a check fails', async () => {
    const r = await vigil(['checks', '--root', rootfsFixture(), '--fail-on', 'fail']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^ID\s+STATUS\s+TITLE/);
    expect(r.stdout).toMatch(/compliance \d+\.\d% \(\d+ passed \/ \(\d+ passed \+ \d+ failed\)\); \d+ not applicable and 0 in error left out; 63 controls/);
  });

  it('names the benchmark file and field of a bad check in one line, exit 4', async () => {
    const t = tempDir();
    try {
      const f = path.join(t.dir, 'x.yaml');
      writeFileSync(f, 'section: "9.1"\ntitle: T\nchecks:\n  - id: "9.1.1"\n    title: t\n    rationale: r\n    fact: { kind: shell, cmd: "id" }\n    expect: { equals: "0" }\n');
      const r = await vigil(['checks', '--root', t.dir, '--benchmark', f]);
      expect(r.code).toBe(4);
      expect(r.stderr).toBe('vigil: x.yaml:7: /checks/0/fact/kind: must be one of file_key, sysctl, file_mode, package, service, world_writable (got "shell")\n');
    } finally {
      t.cleanup();
    }
  });
});
