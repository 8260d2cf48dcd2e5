import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SuppressionRule } from '../../src/matcher/suppression.js';
import type { HostFinding } from '../../src/server/fleet-types.js';
import type { DeliveryRecord } from '../../src/store/sqlite-events-rows.js';
import { vigil } from '../helpers/cli.js';
import { PKGDB, REPO, makeRoot, tempDir } from '../helpers/fixtures.js';
import { enroll, startAgent, startServer, waitFor, type AgentHandle, type ServerHandle } from '../helpers/fleet.js';
import { validateOpenVex } from '../helpers/schemas.js';
import { Receiver } from '../server/events/receiver.js';

/**
 * `vigil rules`, `vigil events`, `vigil routes` and `vigil deliveries` against a real
 * `vigil server run` with a real `vigil agent run` on a Debian 12 root (the real
 * minbase dpkg status), and real loopback webhook receivers that check every
 * signature. Every command goes through --api and --token-file as a user's would.
 */

const OS_RELEASE = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nID=debian\n';
const SECRET = 'rules-test-webhook-secret-0123456789';

let tmp: { dir: string; cleanup: () => void };
let root: { root: string; cleanup: () => void };
let server: ServerHandle;
let agent: AgentHandle;
let adminFile: string;
let viewerFile: string;
const receiver = new Receiver(SECRET);
const refusing = new Receiver(SECRET);

const file = (name: string): string => path.join(tmp.dir, name);
const run = (args: string[], tokenFile = adminFile) => vigil([...args, '--api', `http://127.0.0.1:${server.apiPort}`, '--token-file', tokenFile]);

async function json<T>(args: string[]): Promise<T> {
  const r = await run([...args, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
}

const findings = (status: string) => json<HostFinding[]>(['findings', '--host', agent.id, '--status', status]);
const activeCount = async (): Promise<number> => (await json<Array<{ id: string; findings: { total: number } }>>(['hosts', 'list'])).find((h) => h.id === agent.id)!.findings.total;
const covers = (v: string) => (f: HostFinding) => f.finding.vulnerability === v || f.finding.aliases.includes(v);

beforeAll(async () => {
  tmp = tempDir('vigil-rules-');
  server = await startServer(path.join(tmp.dir, 'server'));
  root = makeRoot({ 'etc/os-release': OS_RELEASE, 'var/lib/dpkg/status': { copy: path.join(PKGDB, 'debian12-minbase-status') } });
  const stateDir = path.join(tmp.dir, 'agent');
  agent = startAgent(await enroll(server, stateDir), stateDir, root.root);
  await waitFor('the host inventoried with findings', async () => {
    const h = await server.api<{ findings?: { total: number } }>('GET', `hosts/${agent.id}`);
    return h.status === 200 && (h.body.findings?.total ?? 0) >= 10;
  }, 180_000);
  adminFile = file('admin.token');
  writeFileSync(adminFile, server.token + '\n');
  const viewer = await vigil(['token', 'create', '--role', 'viewer', '--name', 'v', '--data-dir', server.dir]);
  expect(viewer.code, viewer.stderr).toBe(0);
  viewerFile = file('viewer.token');
  writeFileSync(viewerFile, viewer.stdout.trim().split('\n').at(-1)!.trim() + '\n');
  await receiver.start();
  await refusing.start();
}, 400_000);

afterAll(async () => {
  await agent?.proc.kill();
  await server?.proc.kill();
  await receiver.stop();
  await refusing.stop();
  root?.cleanup();
  tmp?.cleanup();
});

let target: HostFinding;
let suppressedRoute: string;
let reactivatedRoute: string;

describe('vigil routes', () => {
  it('adds a webhook route to a loopback receiver, its pattern read from a file, and lists it', async () => {
    writeFileSync(file('pattern.json'), JSON.stringify({ 'detail-type': ['Finding State Change'], detail: { status: ['SUPPRESSED'], hostId: [agent.id] } }));
    const r = await run(['routes', 'add', '--name', 'suppressed', '--pattern', `@${file('pattern.json')}`, '--webhook', receiver.url, '--secret', SECRET]);
    expect(r.code, r.stderr).toBe(0);
    const m = /^route (\S+) \(suppressed\) created: webhook (\S+)\n$/.exec(r.stdout);
    expect(m, r.stdout).not.toBeNull();
    expect(m![2]).toBe(receiver.url);
    suppressedRoute = m![1]!;

    const dead = await json<{ id: string; target: { type: string; secret: string } }>([
      'routes', 'add', '--name', 'reactivated', '--pattern', JSON.stringify({ detail: { previous: ['SUPPRESSED'], status: ['ACTIVE'] } }), '--webhook', refusing.url, '--secret', SECRET,
    ]);
    expect(dead.target).toMatchObject({ type: 'webhook', secret: SECRET });
    reactivatedRoute = dead.id;

    const listed = await json<Array<{ id: string; name: string; target: Record<string, unknown> }>>(['routes', 'list']);
    expect(listed.map((x) => x.name).sort()).toEqual(['reactivated', 'suppressed']);
    expect(listed.every((x) => x.target.secret === '[redacted]')).toBe(true);
    const table = await run(['routes', 'list']);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+NAME\s+ENABLED\s+TARGET\s+PATTERN$/);
    expect(table.stdout).toContain(`webhook ${receiver.url}`);
  });

  it('prints the signing secret the server made, once, when none is given', async () => {
    const r = await run(['routes', 'add', '--name', 'made-secret', '--pattern', '{"detail-type":["Host State Change"]}', '--webhook', 'http://127.0.0.1:9/unused']);
    expect(r.code, r.stderr).toBe(0);
    const secret = /signing secret \(shown only now\): ([0-9a-f]{64})\n$/.exec(r.stdout);
    expect(secret, r.stdout).not.toBeNull();
    const id = /^route (\S+) /.exec(r.stdout)![1]!;
    expect((await run(['routes', 'list'])).stdout).not.toContain(secret![1]);
    const removed = await run(['routes', 'remove', id]);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toBe(`route ${id} removed with its deliveries\n`);
    expect((await json<Array<{ id: string }>>(['routes', 'list'])).map((x) => x.id)).not.toContain(id);
    const again = await run(['routes', 'remove', id]);
    expect(again.code).toBe(3);
  });

  it('refuses a malformed pattern with exit 4 in one line naming the problem', async () => {
    const notJson = await run(['routes', 'add', '--name', 'x', '--pattern', '{"detail-type":', '--webhook', receiver.url]);
    expect(notJson.code).toBe(4);
    expect(notJson.stderr).toMatch(/^vigil: --pattern is not JSON: [^\n]+\n$/);
    const badValue = await run(['routes', 'add', '--name', 'x', '--pattern', '{"detail-type":"Finding State Change"}', '--webhook', receiver.url]);
    expect(badValue.code).toBe(4);
    expect(badValue.stderr).toMatch(/^vigil: [^\n]*\/detail-type[^\n]*\n$/);
    writeFileSync(file('broken-pattern.json'), '{"detail": {"status": ["SUPPRESSED"]');
    const badFile = await run(['routes', 'add', '--name', 'x', '--pattern', `@${file('broken-pattern.json')}`, '--webhook', receiver.url]);
    expect(badFile.code).toBe(4);
    expect(badFile.stderr).toMatch(new RegExp(`^vigil: event pattern file ${file('broken-pattern.json')} is not JSON: [^\\n]+\\n$`));
    const missing = await run(['routes', 'add', '--name', 'x', '--pattern', `@${file('nope.json')}`, '--webhook', receiver.url]);
    expect(missing.code).toBe(3);
    const plainHttp = await run(['routes', 'add', '--name', 'x', '--pattern', '{"source":["vigil"]}', '--webhook', 'http://example.com/hook']);
    expect(plainHttp.code).toBe(4);
    expect(plainHttp.stderr).toMatch(/^vigil: event target \/url: must be https:\/\/[^\n]*\n$/);
    const twoTargets = await run(['routes', 'add', '--name', 'x', '--pattern', '{}', '--webhook', receiver.url, '--jsonl', 'events.jsonl']);
    expect(twoTargets.code).toBe(2);
    expect(await json<unknown[]>(['routes', 'list'])).toHaveLength(2);
  });
});

describe('vigil rules', () => {
  it('refuses bad input with exit 4 in one line naming the flag, and a viewer token with exit 10', async () => {
    const all = await findings('ACTIVE');
    target = all.find((f) => f.finding.fixedVersion !== undefined) ?? all[0]!;
    const v = target.finding.vulnerability;
    const reason = await run(['rules', 'add', '--vulnerability', v, '--reason', 'bogus']);
    expect(reason.code).toBe(4);
    expect(reason.stderr).toBe('vigil: --reason must be one of accepted_risk, false_positive, not_affected, mitigated (got "bogus")\n');
    const justification = await run(['rules', 'add', '--vulnerability', v, '--reason', 'not_affected']);
    expect(justification.code).toBe(4);
    expect(justification.stderr).toBe('vigil: the rule needs --justification\n');
    const severity = await run(['rules', 'add', '--vulnerability', v, '--reason', 'mitigated', '--severity', 'high,hgh']);
    expect(severity.code).toBe(4);
    expect(severity.stderr).toMatch(/^vigil: --severity must be one of critical, [^\n]*\(got "hgh"\)\n$/);
    const expires = await run(['rules', 'add', '--vulnerability', v, '--reason', 'mitigated', '--expires', 'next-week']);
    expect(expires.code).toBe(4);
    expect(expires.stderr).toMatch(/^vigil: --expires must be an RFC 3339 date[^\n]*\n$/);
    const noReason = await run(['rules', 'add', '--vulnerability', v]);
    expect(noReason.code).toBe(2);

    const viewer = await run(['rules', 'add', '--vulnerability', v, '--reason', 'accepted_risk'], viewerFile);
    expect(viewer.code).toBe(10);
    expect(viewer.stderr).toBe('vigil: POST /api/v1/rules needs the operator role; token v has viewer\n');
    const read = await run(['rules', 'list'], viewerFile);
    expect(read.code, read.stderr).toBe(0);
    expect(read.stdout).toBe('no suppression rules\n');
    expect(await activeCount()).toBe(all.length);
  });

  it('adds a rule that expires in 90 days: the finding is SUPPRESSED at once and leaves the host\'s active count', async () => {
    const v = target.finding.vulnerability;
    const before = await findings('ACTIVE');
    const covered = before.filter(covers(v));
    const t0 = Date.now();
    const rule = await json<SuppressionRule>(['rules', 'add', '--vulnerability', v, '--host', agent.id, '--reason', 'accepted_risk', '--statement', 'tracked in the risk register', '--expires', '90d', '--id', 'risk-1']);
    const t1 = Date.now();
    expect(rule).toMatchObject({ id: 'risk-1', reason: 'accepted_risk', author: 'api.token', match: { vulnerabilities: [v], hosts: [agent.id] }, statement: 'tracked in the risk register' });
    expect(rule.expires).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const day = 86_400_000;
    expect(Date.parse(rule.expires!)).toBeGreaterThanOrEqual(Math.floor(t0 / 1000) * 1000 + 90 * day);
    expect(Date.parse(rule.expires!)).toBeLessThanOrEqual(t1 + 90 * day);

    const suppressed = await findings('SUPPRESSED');
    expect(suppressed.map((f) => f.id).sort()).toEqual(covered.map((f) => f.id).sort());
    expect(suppressed.map((f) => f.status)).toEqual(covered.map(() => 'SUPPRESSED'));
    expect((await findings('ACTIVE')).some(covers(v))).toBe(false);
    expect(await activeCount()).toBe(before.length - covered.length);

    const listed = await run(['rules', 'list'], viewerFile);
    expect(listed.code, listed.stderr).toBe(0);
    const [head, row] = listed.stdout.split('\n');
    expect(head).toMatch(/^ID\s+REASON\s+MATCH\s+EXPIRES\s+AUTHOR\s+CREATED$/);
    expect(row).toContain(`risk-1  accepted_risk  vulnerabilities=${v} hosts=${agent.id}  ${rule.expires}  api.token`);
  });

  it('routes each suppression as an event to the webhook, signed, and vigil deliveries shows the deliveries', async () => {
    const covered = (await findings('SUPPRESSED')).length;
    const events = await waitFor('the suppression events', async () => {
      const e = await json<Array<{ 'detail-type': string; detail: { status: string; suppression?: { rule?: { id: string } } } }>>(['events', 'list', '--detail-type', 'Finding State Change']);
      const mine = e.filter((x) => x.detail.status === 'SUPPRESSED');
      return mine.length === covered ? mine : undefined;
    });
    expect(events.every((e) => e.detail.suppression?.rule?.id === 'risk-1')).toBe(true);
    const delivered = await waitFor('deliveries to the receiver', async () => {
      const d = await json<DeliveryRecord[]>(['deliveries', 'list', '--state', 'delivered', '--route', suppressedRoute]);
      return d.length === covered ? d : undefined;
    });
    expect(delivered.every((d) => d.state === 'delivered' && d.attempts === 1)).toBe(true);
    expect(receiver.requests.length).toBe(covered);
    expect(receiver.requests.every((r) => r.valid)).toBe(true);
    expect(new Set(receiver.requests.map((r) => r.id))).toEqual(new Set(delivered.map((d) => d.eventId)));

    const table = await run(['deliveries', 'list']);
    expect(table.code, table.stderr).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+STATE\s+ROUTE\s+EVENT\s+ATTEMPTS\s+QUEUED\s+DELIVERED \/ NEXT ATTEMPT\s+LAST ERROR$/);
    for (const d of delivered) expect(lines.some((l) => l.startsWith(`${d.id} `) && l.includes(' delivered ') && l.includes(suppressedRoute) && l.includes(d.eventId))).toBe(true);
    const events2 = await run(['events', 'list']);
    expect(events2.stdout.split('\n')[0]).toMatch(/^SEQ\s+TIME\s+DETAIL-TYPE\s+RESOURCES$/);
    expect(events2.stdout).toContain(`vigil:host/${agent.id}`);
  });

  it('removes the rule: the findings are ACTIVE again, and the refused webhook leaves dead letters that redeliver', async () => {
    refusing.answer = () => ({ status: 410, body: 'gone' });
    const covered = (await findings('SUPPRESSED')).map((f) => f.id).sort();
    const r = await run(['rules', 'remove', 'risk-1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('rule risk-1 removed: what it covered is active again\n');
    expect(await findings('SUPPRESSED')).toEqual([]);
    expect((await findings('ACTIVE')).filter(covers(target.finding.vulnerability)).map((f) => f.id).sort()).toEqual(covered);
    expect(await json<unknown[]>(['rules', 'list'])).toEqual([]);
    expect((await run(['rules', 'remove', 'risk-1'])).code).toBe(3);

    const dead = await waitFor('dead letters', async () => {
      const d = await json<DeliveryRecord[]>(['deliveries', 'list', '--state', 'dead']);
      return d.length === covered.length ? d : undefined;
    });
    expect(dead.every((d) => d.routeId === reactivatedRoute && /410/.test(d.lastError ?? ''))).toBe(true);
    const table = await run(['deliveries', 'list', '--state', 'dead']);
    expect(table.stdout).toContain(' dead ');

    refusing.answer = () => ({ status: 200 });
    const again = await run(['deliveries', 'redeliver', String(dead[0]!.id)]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe(`delivery ${dead[0]!.id} of event ${dead[0]!.eventId} to route ${reactivatedRoute} queued again\n`);
    await waitFor('the redelivery', async () => {
      const d = await json<DeliveryRecord[]>(['deliveries', 'list', '--state', 'delivered', '--route', reactivatedRoute]);
      return d.length === 1 && d[0]!.id === dead[0]!.id;
    });
    expect(refusing.processed.has(dead[0]!.eventId)).toBe(true);
    expect((await run(['deliveries', 'redeliver', 'x'])).code).toBe(2);
    expect((await run(['deliveries', 'list', '--state', 'lost'])).code).toBe(2);
  });

  it('imports an OpenVEX 0.2.0 document: its not_affected statement suppresses the finding it names', async () => {
    const f = target;
    const doc = {
      '@context': 'https://openvex.dev/ns/v0.2.0',
      '@id': 'https://vigil.example/vex/rules-test-1',
      author: 'Security Team <security@vigil.example>',
      timestamp: new Date().toISOString(),
      version: 1,
      statements: [
        {
          vulnerability: { name: f.finding.vulnerability },
          products: [{ '@id': f.finding.component.purl }],
          status: 'not_affected',
          justification: 'vulnerable_code_not_in_execute_path',
          status_notes: 'the vulnerable code path is never reached on these hosts',
        },
        { vulnerability: { name: 'CVE-2099-0002' }, products: [{ '@id': 'https://vigil.example/products/no-purl' }], status: 'not_affected', justification: 'component_not_present' },
      ],
    };
    expect(validateOpenVex(doc)).toEqual([]);
    writeFileSync(file('host.openvex.json'), JSON.stringify(doc, null, 2));
    const r = await run(['rules', 'import-vex', file('host.openvex.json')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^1 rule\\(s\\) imported from ${file('host.openvex.json')}: vex-[0-9a-f]{8}-1\\n$`));
    expect(r.stderr).toBe(`warning: ${file('host.openvex.json')}#/statements/1/products/0: names no package URL; the statement does not apply to it\nwarning: ${file('host.openvex.json')}#/statements/1: names no package; it sets nothing aside\n`);

    const suppressed = await findings('SUPPRESSED');
    expect(suppressed.map((s) => s.id)).toContain(f.id);
    expect(suppressed.every((s) => s.finding.component.purl === f.finding.component.purl && covers(f.finding.vulnerability)(s))).toBe(true);
    const [rule] = await json<SuppressionRule[]>(['rules', 'list']);
    expect(rule).toMatchObject({ reason: 'not_affected', justification: 'vulnerable_code_not_in_execute_path', statement: 'the vulnerable code path is never reached on these hosts', author: 'Security Team <security@vigil.example>', match: { vulnerabilities: [f.finding.vulnerability], purls: [f.finding.component.purl] } });
    expect((await run(['rules', 'remove', rule!.id])).code).toBe(0);
    expect((await findings('SUPPRESSED')).length).toBe(0);
  });

  it('exports what is decided as OpenVEX: a viewer reads it, -o writes it and replaces only such a document, and nothing decided exits 3', async () => {
    const nothing = await run(['rules', 'export-vex'], viewerFile);
    expect(nothing.code).toBe(3);
    expect(nothing.stderr).toBe('vigil: nothing is decided: no suppressed finding is covered by a rule in force\n');
    const add = await run(['rules', 'add', '--id', 'exported', '--vulnerability', target.finding.vulnerability, '--reason', 'not_affected', '--justification', 'vulnerable_code_not_present', '--statement', 'patched in place']);
    expect(add.code, add.stderr).toBe(0);
    const suppressed = (await findings('SUPPRESSED')).filter(covers(target.finding.vulnerability));
    expect(suppressed.length).toBeGreaterThan(0);

    const out = await run(['rules', 'export-vex', '--host', agent.id], viewerFile);
    expect(out.code, out.stderr).toBe(0);
    const doc = JSON.parse(out.stdout) as { author: string; statements: Array<{ vulnerability: { name: string }; products: Array<{ '@id': string }>; status: string; justification?: string; status_notes: string }> };
    expect(validateOpenVex(doc)).toEqual([]);
    expect(doc.author).toBe('Vigil server (each statement names who decided it)');
    // One statement per package version the rule covers on the host.
    expect(doc.statements.map((x) => x.products[0]!['@id']).sort()).toEqual([...new Set(suppressed.map((f) => f.finding.component.purl))].sort());
    for (const x of doc.statements) {
      expect(x).toMatchObject({ status: 'not_affected', justification: 'vulnerable_code_not_present', vulnerability: { name: target.finding.vulnerability } });
      expect(x.status_notes).toContain(`(rule exported, server rule exported by`);
      expect(x.status_notes).toMatch(new RegExp(`On 1 host: [^ ]+ \\(${agent.id}\\)\\.$`));
    }

    const dest = file('decided.openvex.json');
    writeFileSync(dest, 'operator notes\n');
    const refused = await run(['rules', 'export-vex', '-o', dest], viewerFile);
    expect(refused.code).toBe(8);
    expect(readFileSync(dest, 'utf8')).toBe('operator notes\n');
    writeFileSync(dest, '');
    const written = await run(['rules', 'export-vex', '-o', dest], viewerFile);
    expect(written.code, written.stderr).toBe(0);
    expect(written.stderr).toBe(`${doc.statements.length} statement(s) written to ${dest}\n`);
    expect(validateOpenVex(JSON.parse(readFileSync(dest, 'utf8')))).toEqual([]);
    expect((await run(['rules', 'export-vex', '-o', dest], viewerFile)).code).toBe(0);
    const unknown = await run(['rules', 'export-vex', '--host', 'a-0000000000000000'], viewerFile);
    expect(unknown.code).toBe(3);
    expect((await run(['rules', 'remove', 'exported'])).code).toBe(0);
    expect((await findings('SUPPRESSED')).length).toBe(0);
  });

  it('refuses a malformed VEX document with exit 4 naming the file, and a missing one with exit 3', async () => {
    const text = JSON.stringify({ '@context': 'https://openvex.dev/ns/v0.2.0', '@id': 'https://vigil.example/vex/2', author: 'a', timestamp: '2026-01-01T00:00:00Z', version: 1, statements: [{ vulnerability: { name: 'CVE-2024-0001' }, products: [{ '@id': 'pkg:deb/debian/bash' }], status: 'fine' }] });
    writeFileSync(file('bad-status.vex.json'), text);
    const bad = await run(['rules', 'import-vex', file('bad-status.vex.json')]);
    expect(bad.code).toBe(4);
    expect(bad.stderr).toBe(`vigil: ${file('bad-status.vex.json')}#/statements/0/status: must be one of not_affected, affected, fixed, under_investigation (got "fine")\n`);
    writeFileSync(file('cut.vex.json'), text.slice(0, 90));
    const cut = await run(['rules', 'import-vex', file('cut.vex.json')]);
    expect(cut.code).toBe(4);
    expect(cut.stderr).toMatch(new RegExp(`^vigil: ${file('cut.vex.json')}[^\\n]*\\n$`));
    const missing = await run(['rules', 'import-vex', file('none.vex.json')]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toBe(`vigil: VEX document ${file('none.vex.json')} does not exist\n`);
    expect(await json<unknown[]>(['rules', 'list'])).toEqual([]);
  });
});

/** Python's pty module runs the argv on a pseudo-terminal COLUMNS wide (no shell) and copies what it writes. */
const ON_TERMINAL = `
import fcntl, os, pty, struct, subprocess, sys, termios
m, s = pty.openpty()
fcntl.ioctl(s, termios.TIOCSWINSZ, struct.pack('HHHH', 50, int(sys.argv[1]), 0, 0))
p = subprocess.Popen(sys.argv[2:], stdin=s, stdout=s, stderr=s, close_fds=True)
os.close(s)
out = b''
while True:
    try:
        d = os.read(m, 65536)
    except OSError:
        break
    if not d:
        break
    out += d
sys.stdout.buffer.write(out)
sys.exit(p.wait())
`;

function onTerminal(args: string[], columns: number): Promise<{ code: number; lines: string[] }> {
  const argv = [process.execPath, path.join(REPO, 'bin/vigil.js'), ...args, '--api', `http://127.0.0.1:${server.apiPort}`, '--token-file', adminFile];
  return new Promise((resolve, reject) => {
    execFile('python3', ['-c', ON_TERMINAL, String(columns), ...argv], { maxBuffer: 64 * 1024 * 1024 }, (err, stdout) => {
      if (err && typeof (err as { code?: unknown }).code !== 'number') reject(err);
      else resolve({ code: err ? Number((err as { code: number }).code) : 0, lines: stdout.replace(/\r\n/g, '\n').trimEnd().split('\n') });
    });
  });
}

describe('on a terminal', () => {
  it('events, routes and deliveries fit their tables to its width, cutting the widest column with an ellipsis', async () => {
    for (const args of [['deliveries', 'list'], ['events', 'list'], ['routes', 'list']]) {
      const { code, lines } = await onTerminal(args, 80);
      expect(code, lines.join('\n')).toBe(0);
      expect(lines.length, args.join(' ')).toBeGreaterThan(1);
      expect(Math.max(...lines.map((l) => l.length)), args.join(' ')).toBeLessThanOrEqual(80);
      expect(lines.some((l) => l.includes('…')), args.join(' ')).toBe(true);
    }
  });
});
