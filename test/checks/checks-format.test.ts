import { symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBenchmark, loadSectionText } from '../../src/checks/load.js';
import type { Benchmark } from '../../src/checks/model.js';
import { runChecks } from '../../src/checks/run.js';
import { makeRoot, tempDir } from '../helpers/fixtures.js';

const section = (checks: string) => `section: "9.1"\ntitle: Test\nchecks:\n${checks}`;
const check = (fact: string, expect: string, id = '9.1.1') => `  - id: "${id}"\n    title: t\n    rationale: r\n    fact: ${fact}\n    expect: ${expect}\n`;

function bench(text: string): Benchmark {
  return { name: 't', source: 't.yaml', sections: [loadSectionText(text, 't.yaml')] };
}

describe('the check format', () => {
  it('refuses malformed YAML naming the file and line', () => {
    expect(() => loadSectionText('section: "9.1"\ntitle: [unclosed\n', 'bad.yaml')).toThrow(/^bad\.yaml:\d+: \(top level\): not YAML/);
  });

  it('refuses an unknown fact kind naming the file, line and field', () => {
    expect(() => loadSectionText(section(check('{ kind: command, argv: [id] }', '{ equals: "0" }')), 's.yaml')).toThrow(
      's.yaml:7: /checks/0/fact/kind: must be one of file_key, sysctl, file_mode, package, service, world_writable (got "command")',
    );
  });

  it('refuses a missing field, an unknown key, a path climbing out and an expectation the kind cannot take', () => {
    expect(() => loadSectionText(section(check('{ kind: sysctl }', '{ equals: "0" }')), 's.yaml')).toThrow('/checks/0/fact: needs "key"');
    expect(() => loadSectionText(section(check('{ kind: file_mode, path: /etc/passwd, mode: 1 }', '{ owner: root }')), 's.yaml')).toThrow('/checks/0/fact/mode: is not a known key');
    expect(() => loadSectionText(section(check('{ kind: file_mode, path: /etc/../../x }', '{ owner: root }')), 's.yaml')).toThrow('/checks/0/fact/path');
    expect(() => loadSectionText(section(check('{ kind: package, names: [x] }', '{ equals: "1" }')), 's.yaml')).toThrow('s.yaml:8: /checks/0/expect/equals: a package fact cannot be compared with equals (it takes installed)');
    expect(() => loadSectionText(section(check('{ kind: world_writable, paths: [/home] }', '{ none: true }')), 's.yaml')).toThrow('/checks/0/fact/paths/0: must be one of');
    expect(() => loadSectionText(section(check('{ kind: sysctl, key: a.b }', '{ equals: "1" }', '8.1.1')), 's.yaml')).toThrow('/checks/0/id: 8.1.1 is not in section 9.1');
  });

  it('refuses an id defined twice across files', () => {
    const t = tempDir();
    try {
      writeFileSync(path.join(t.dir, 'a.yaml'), section(check('{ kind: sysctl, key: a.b }', '{ equals: "1" }')));
      writeFileSync(path.join(t.dir, 'b.yaml'), section(check('{ kind: sysctl, key: a.c }', '{ equals: "1" }')));
      expect(() => loadBenchmark(t.dir)).toThrow('b.yaml: check 9.1.1 is already defined in a.yaml');
    } finally {
      t.cleanup();
    }
  });
});

describe('hostile roots', () => {
  it('does not follow a symlink out of the root, for a config file or a stat', async () => {
    const host = tempDir();
    writeFileSync(path.join(host.dir, 'secret.conf'), 'PASS_MAX_DAYS 30\n');
    const r = makeRoot({ 'etc/placeholder': '' });
    try {
      symlinkSync(path.join(host.dir, 'secret.conf'), path.join(r.root, 'etc/login.defs'));
      symlinkSync(`../../../../../../../..${host.dir}/secret.conf`, path.join(r.root, 'etc/passwd'));
      const out = await runChecks(
        bench(section(check('{ kind: file_key, syntax: space, path: /etc/login.defs, key: PASS_MAX_DAYS }', '{ at_most: 365 }') + check('{ kind: file_mode, path: /etc/passwd }', '{ mode_at_most: "0644" }', '9.1.2'))),
        { root: r.root },
      );
      expect(out.results.map((x) => [x.id, x.status, x.found.text])).toEqual([['9.1.1', 'fail', 'not set'], ['9.1.2', 'fail', 'not set']]);
      expect(out.results[1]!.found.evidence).toEqual([{ path: '/etc/passwd', text: 'does not exist' }]);
    } finally {
      r.cleanup();
      host.cleanup();
    }
  });

  it('reads no config file over 1 MiB: a 10 MB line is an error naming the file, and the run goes on', async () => {
    const r = makeRoot({ 'etc/login.defs': `PASS_MAX_DAYS ${'9'.repeat(10 * 1024 * 1024)}\n`, 'etc/default/useradd': 'INACTIVE=30\n' });
    try {
      const out = await runChecks(
        bench(section(check('{ kind: file_key, syntax: space, path: /etc/login.defs, key: PASS_MAX_DAYS }', '{ at_most: 365 }') + check('{ kind: file_key, syntax: shell, path: /etc/default/useradd, key: INACTIVE }', '{ at_most: 45 }', '9.1.2'))),
        { root: r.root },
      );
      expect(out.results[0]).toMatchObject({ status: 'error', reason: '/etc/login.defs: file is 10485775 bytes, over the 1048576-byte limit, not read' });
      expect(out.results[1]!.status).toBe('pass');
      expect(out.summary).toMatchObject({ pass: 1, fail: 0, error: 1, compliance_percent: 100 });
    } finally {
      r.cleanup();
    }
  });
});
