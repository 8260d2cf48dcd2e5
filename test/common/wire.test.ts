import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dpkgCollector } from '../../src/inventory/collectors/dpkg.js';
import { scan } from '../../src/inventory/scan.js';
import type { Component, HostFacts, KernelInfo, ListeningPort, OsInfo } from '../../src/common/model.js';
import { VigilError } from '../../src/common/errors.js';
import {
  componentKey,
  decodeAgentMessage,
  decodeEnrollRequest,
  decodeEnrollResponse,
  decodeServerMessage,
  encodeAgentMessage,
  encodeEnrollRequest,
  encodeEnrollResponse,
  encodeServerMessage,
  type AgentMsg,
  type ServerMsg,
} from '../../src/common/wire/codec.js';
import { vigil } from '../../src/common/wire/generated/agent.js';
import { DEBIAN_12, PKGDB, REPO, makeRoot, runCollector, silentLog, tempDir } from '../helpers/fixtures.js';

const digest = (s: string) => createHash('sha256').update(s).digest('hex');

let components: Component[] = [];
let root: { root: string; cleanup: () => void };

beforeAll(async () => {
  root = makeRoot({ 'var/lib/dpkg/status': { copy: path.join(PKGDB, 'debian12-minbase-status') } });
  components = (await runCollector(dpkgCollector, root.root, { os: DEBIAN_12 })).components;
});
afterAll(() => root.cleanup());

const HOSTILE = ['', 'ünïcödé ✓ 日本語 🐧', 'a\u0000b', '\r\n\t"\'\\', '<script>alert(1)</script>', '../../etc/passwd', '%00%ff', 'constructor'];

function hostileComponent(): Component {
  return {
    ecosystem: 'npm',
    name: HOSTILE[1]!,
    version: '',
    namespace: HOSTILE[4]!,
    arch: '',
    epoch: 0,
    release: HOSTILE[3]!,
    source: { name: HOSTILE[2]!, version: HOSTILE[6]! },
    purl: `pkg:npm/${encodeURIComponent(HOSTILE[1]!)}@1`,
    locations: ['/app/ünï code/package-lock.json', HOSTILE[5]!],
    licenses: ['MIT', HOSTILE[1]!],
    foundBy: 'npm-lock',
    metadata: { constructor: 'x', toString: 1.5, empty: null, dev: true, list: [HOSTILE[3]!, HOSTILE[1]!], '': HOSTILE[2]! },
  };
}

const PORTS: ListeningPort[] = [
  { protocol: 'tcp', address: '0.0.0.0', port: 22, exposure: 'any', inode: 4_294_967_296 + 7, pid: 812, process: 'sshd', executable: '/usr/sbin/sshd', package: 'pkg:deb/debian/openssh-server@1:9.2p1-2?arch=amd64' },
  { protocol: 'udp6', address: '::1', port: 0, exposure: 'loopback', inode: 0 },
];
const FACTS: HostFacts = { hostname: 'web-01.example', os: 'Debian GNU/Linux 12 (bookworm)', arch: 'x64', addresses: ['10.0.0.5', 'fe80::1'], kernel: '6.1.0-18-amd64' };
const OS: OsInfo = { ...DEBIAN_12, prettyName: 'Debian GNU/Linux 12 (bookworm)', idLike: ['debian'] };
const KERNEL: KernelInfo = { running: '6.1.0-18-amd64', runningPackage: 'pkg:deb/debian/linux-image-6.1.0-18-amd64', installed: [] };

function agentMessages(): AgentMsg[] {
  return [
    { kind: 'hello', agentVersion: '0.1.0', agentEpoch: 1_717_000_000_000, lastAckedSeq: Number.MAX_SAFE_INTEGER, capabilities: ['delta', HOSTILE[1]!], tags: ['environment=prod', 'criticality=high'] },
    { kind: 'snapshot', epoch: 3, seq: 10, chunkIndex: 0, chunkCount: 2, components: components.slice(0, 40) },
    {
      kind: 'snapshot', epoch: 3, seq: 10, chunkIndex: 1, chunkCount: 2, components: [...components.slice(40), hostileComponent()],
      digest: digest('all'), ports: PORTS, facts: FACTS, os: OS, kernel: KERNEL,
    },
    {
      kind: 'delta', epoch: 3, baseSeq: 10, seq: 11, added: [components[0]!, hostileComponent()],
      removed: [componentKey(components[1]!), HOSTILE[2]!], ports: [], facts: FACTS, digestAfter: digest('after'),
    },
    { kind: 'delta', epoch: 3, baseSeq: 11, seq: 12, added: [], removed: [], digestAfter: digest('same') },
    { kind: 'heartbeat', seq: 12, digest: digest('same') },
    { kind: 'command-result', commandId: 'cmd-7', signedResult: new Uint8Array(randomBytes(300)) },
  ];
}

const SERVER_MESSAGES: ServerMsg[] = [
  { kind: 'welcome', seq: 10, epoch: 3, snapshotNeeded: true },
  { kind: 'welcome', seq: 0, epoch: 0, snapshotNeeded: false },
  { kind: 'ack', seq: 11 },
  { kind: 'resync', reason: 'digest-mismatch', detail: HOSTILE[3]! },
  { kind: 'resync', reason: 'seq-gap' },
  { kind: 'rescan', requestId: 'r-1' },
  { kind: 'signed-command', envelope: new Uint8Array(randomBytes(512)) },
];

function invalidInput(fn: () => unknown, field: RegExp): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(VigilError);
  expect((err as VigilError).code).toBe('INVALID_INPUT');
  expect((err as VigilError).message).toMatch(field);
}

describe('wire codec', () => {
  it('has real components from the Debian 12 minbase fixture to work with', () => {
    expect(components.length).toBeGreaterThan(80);
    expect(components.some((c) => c.source && c.metadata)).toBe(true);
  });

  it('round-trips every agent message kind', () => {
    for (const msg of agentMessages()) expect(decodeAgentMessage(encodeAgentMessage(msg))).toEqual(msg);
  });

  it('round-trips every server message kind', () => {
    for (const msg of SERVER_MESSAGES) expect(decodeServerMessage(encodeServerMessage(msg))).toEqual(msg);
  });

  it('round-trips enrollment', () => {
    const req = { enrollmentToken: 'tok', publicKeyPem: '-----BEGIN PUBLIC KEY-----\nMCow\n-----END PUBLIC KEY-----\n', hostname: 'web-01' };
    expect(decodeEnrollRequest(encodeEnrollRequest(req))).toEqual(req);
    const res = { agentId: 'a-1', clientCertificatePem: 'cert', caCertificatePem: 'ca' };
    expect(decodeEnrollResponse(encodeEnrollResponse(res))).toEqual(res);
  });

  it('encodes the same message to identical bytes, whatever the metadata key order', () => {
    for (const msg of agentMessages()) expect(encodeAgentMessage(msg)).toEqual(encodeAgentMessage(structuredClone(msg)));
    const c = hostileComponent();
    const reordered = { ...c, metadata: Object.fromEntries(Object.entries(c.metadata!).reverse()) };
    const delta = (x: Component): AgentMsg => ({ kind: 'delta', epoch: 1, baseSeq: 0, seq: 1, added: [x], removed: [], digestAfter: digest('x') });
    expect(encodeAgentMessage(delta(reordered))).toEqual(encodeAgentMessage(delta(c)));
  });

  it('uses the scan identity rule for componentKey', async () => {
    const inv = await scan({ root: root.root, noLive: true, log: silentLog });
    const keys = inv.components.map(componentKey);
    expect(keys.length).toBeGreaterThan(80);
    expect(new Set(keys).size).toBe(keys.length);
    expect([...keys].sort()).toEqual(keys);
    expect(componentKey({ purl: 'pkg:deb/debian/a@1', locations: ['/x', '/y'] })).toBe('pkg:deb/debian/a@1\u0000/x\u0000/y');
  });
});

describe('wire decoding of bad input', () => {
  let bytes: Uint8Array;
  beforeAll(() => {
    bytes = encodeAgentMessage(agentMessages()[2]!);
  });

  it('rejects every truncation of a valid message with a clear error', () => {
    for (let n = 0; n < bytes.length; n += 97) invalidInput(() => decodeAgentMessage(bytes.subarray(0, n)), /^wire: /);
  });

  it('never crashes on random bytes', () => {
    for (let i = 0; i < 500; i++) {
      const junk = randomBytes(1 + (i % 200));
      for (const decode of [decodeAgentMessage, decodeServerMessage]) {
        try {
          decode(junk);
        } catch (e) {
          expect(e).toBeInstanceOf(VigilError);
        }
      }
    }
  });

  it('survives deeply nested groups', () => {
    invalidInput(() => decodeAgentMessage(Buffer.alloc(1_000_000, 0x0b)), /agent message/);
  });

  it('rejects a message over the size limit before parsing it', () => {
    invalidInput(() => decodeAgentMessage(bytes, { maxMessageBytes: 100 }), /agent message: message of \d+ bytes exceeds the limit of 100/);
    invalidInput(() => decodeAgentMessage(new Uint8Array(4 * 1024 * 1024 + 1)), /exceeds the limit of 4194304/);
  });

  it('rejects too many components', () => {
    invalidInput(() => decodeAgentMessage(bytes, { maxComponents: 10 }), /snapshot\.components: \d+ items exceed the limit of 10/);
  });

  it('rejects a 10 MB string, by message size and by string length', () => {
    const huge: AgentMsg = { kind: 'hello', agentVersion: 'x'.repeat(10_000_000), agentEpoch: 1, lastAckedSeq: 0, capabilities: [] };
    const enc = encodeAgentMessage(huge);
    invalidInput(() => decodeAgentMessage(enc), /exceeds the limit of 4194304/);
    invalidInput(() => decodeAgentMessage(enc, { maxMessageBytes: 16_000_000 }), /hello\.agent_version: string of 10000000 characters exceeds the limit of 16384/);
  });

  it('rejects an unknown oneof member and an empty message', () => {
    // Field 9, length-delimited, empty: a kind this version does not know.
    invalidInput(() => decodeAgentMessage(Uint8Array.of(0x4a, 0x00)), /no known message kind/);
    invalidInput(() => decodeServerMessage(new Uint8Array(0)), /server message: no known message kind/);
  });

  it('rejects unknown enum values and missing required fields, naming the field', () => {
    const ok = encodeServerMessage({ kind: 'resync', reason: 'seq-gap' });
    const bad = Uint8Array.from(ok);
    bad[bad.length - 1] = 42;
    invalidInput(() => decodeServerMessage(bad), /resync\.reason: unknown enum value 42/);
    const c = { ...components[0]!, purl: '' };
    const delta: AgentMsg = { kind: 'delta', epoch: 1, baseSeq: 0, seq: 1, added: [components[1]!, c], removed: [], digestAfter: digest('x') };
    invalidInput(() => decodeAgentMessage(encodeAgentMessage(delta)), /delta\.added\[1\]\.purl: required but empty/);
    invalidInput(() => decodeAgentMessage(encodeAgentMessage({ kind: 'command-result', commandId: 'c', signedResult: new Uint8Array() })), /command_result\.signed_result: required/);
    // Field 6 was a config update no agent applied; it is reserved and means nothing now.
    invalidInput(() => decodeServerMessage(Buffer.from([0x32, 0x04, 0x0a, 0x02, 0x7b, 0x7d])), /server message/);
  });

  it('carries an ecosystem the frozen enum does not have by name, and refuses a bad or doubled one', () => {
    // `alpm` (pacman) stands for any ecosystem added after the enum was frozen.
    const later = { ...components[0]!, ecosystem: 'alpm' as Component['ecosystem'], purl: 'pkg:alpm/arch/bash@5.2.026-2' };
    const delta = (c: Component): AgentMsg => ({ kind: 'delta', epoch: 1, baseSeq: 0, seq: 1, added: [components[1]!, c], removed: [], digestAfter: digest('x') });
    const back = decodeAgentMessage(encodeAgentMessage(delta(later)));
    expect(back.kind === 'delta' && back.added[1]!.ecosystem).toBe('alpm');
    expect(back.kind === 'delta' && back.added[0]!.ecosystem).toBe(components[1]!.ecosystem);
    // The enum's own ecosystems do not spend bytes on a name.
    const raw = vigil.v1.AgentMessage.decode(encodeAgentMessage(delta(later))).delta!.added!;
    expect([raw[0]!.ecosystemName ?? null, raw[1]!.ecosystemName, raw[1]!.ecosystem]).toEqual([null, 'alpm', vigil.v1.Ecosystem.ECOSYSTEM_UNSPECIFIED]);
    invalidInput(() => decodeAgentMessage(encodeAgentMessage(delta({ ...later, ecosystem: 'Not A Type' as Component['ecosystem'] }))), /delta\.added\[1\]\.ecosystem_name: not a purl type/);
    const doubled = vigil.v1.AgentMessage.encode({ delta: { epoch: 1, baseSeq: 0, seq: 1, digestAfter: Buffer.from(digest('x'), 'hex'), added: [{ ecosystem: vigil.v1.Ecosystem.ECOSYSTEM_DEB, ecosystemName: 'alpm', name: 'a', version: '1', purl: 'pkg:alpm/arch/a@1', foundBy: 'x' }] } }).finish();
    invalidInput(() => decodeAgentMessage(doubled), /ecosystem_name: set together with ecosystem/);
  });

  it('rejects inconsistent snapshots and deltas', () => {
    const first = encodeAgentMessage({ kind: 'snapshot', epoch: 1, seq: 1, chunkIndex: 0, chunkCount: 2, components: [], digest: digest('x') });
    invalidInput(() => decodeAgentMessage(first), /last chunk only/);
    const past = encodeAgentMessage({ kind: 'snapshot', epoch: 1, seq: 1, chunkIndex: 2, chunkCount: 2, components: [] });
    invalidInput(() => decodeAgentMessage(past), /snapshot\.chunk_index: 2 is not below chunk_count 2/);
    const backwards = encodeAgentMessage({ kind: 'delta', epoch: 1, baseSeq: 5, seq: 5, added: [], removed: [], digestAfter: digest('x') });
    invalidInput(() => decodeAgentMessage(backwards), /delta\.seq: 5 is not after base_seq 5/);
  });

  it('refuses to encode values the wire cannot carry', () => {
    invalidInput(() => encodeAgentMessage({ kind: 'heartbeat', seq: 1, digest: 'nope' }), /heartbeat\.digest/);
    invalidInput(() => encodeServerMessage({ kind: 'ack', seq: -1 }), /ack\.seq/);
  });
});

describe('generated wire code', () => {
  it('is up to date with proto/vigil/v1/agent.proto', () => {
    const { dir, cleanup } = tempDir('vigil-proto-');
    try {
      execFileSync('npm', ['run', '--silent', 'proto'], { cwd: REPO, env: { ...process.env, VIGIL_PROTO_OUT: dir }, stdio: 'pipe' });
      for (const f of ['agent.js', 'agent.d.ts']) {
        const fresh = readFileSync(path.join(dir, f));
        const committed = readFileSync(path.join(REPO, 'src/common/wire/generated', f));
        expect(fresh.equals(committed), `${f} differs: run npm run proto`).toBe(true);
      }
    } finally {
      cleanup();
    }
  });
});
