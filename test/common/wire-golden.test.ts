import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Component } from '../../src/common/model.js';
import {
  decodeAgentMessage,
  decodeEnrollRequest,
  decodeEnrollResponse,
  decodeServerMessage,
  encodeAgentMessage,
  encodeEnrollRequest,
  encodeEnrollResponse,
  encodeServerMessage,
  type AgentMsg,
  type EnrollRequest,
  type EnrollResponse,
  type ServerMsg,
} from '../../src/common/wire/codec.js';
import { REPO } from '../helpers/fixtures.js';
import { expectGolden } from '../helpers/golden.js';

/**
 * Golden bytes of every wire message: the encoding is deterministic, so a change to the
 * proto, the codec or a field's meaning shows here as a changed file, reviewed and
 * committed on purpose (CI never rewrites one). Each golden file also decodes back to
 * its message, so an old agent's bytes stay readable.
 */

const DIGEST = 'a3f1c2e4b5d6978812233445566778899aabbccddeeff00112233445566778899'.slice(0, 64);
const deb: Component = {
  ecosystem: 'deb',
  name: 'libssl3',
  version: '3.0.15-1~deb12u1',
  arch: 'amd64',
  source: { name: 'openssl', version: '3.0.15-1~deb12u1' },
  purl: 'pkg:deb/debian/libssl3@3.0.15-1~deb12u1?arch=amd64&distro=debian-12',
  locations: ['/var/lib/dpkg/status'],
  licenses: ['Apache-2.0'],
  foundBy: 'dpkg',
  metadata: { installedSize: 6192, held: false },
};
const rpm: Component = {
  ecosystem: 'rpm',
  name: 'bash',
  version: '5.1.8',
  release: '9.el9',
  epoch: 0,
  arch: 'x86_64',
  purl: 'pkg:rpm/almalinux/bash@5.1.8-9.el9?arch=x86_64&distro=almalinux-9',
  locations: ['/var/lib/rpm/rpmdb.sqlite'],
  foundBy: 'rpm-sqlite',
};
const npm: Component = { ecosystem: 'npm', name: '@scope/left-pad', version: '1.3.0', purl: 'pkg:npm/%40scope/left-pad@1.3.0', locations: ['/app/package-lock.json'], foundBy: 'npm-lock' };

const AGENT: Record<string, AgentMsg> = {
  hello: { kind: 'hello', agentVersion: '0.1.0', agentEpoch: 3, lastAckedSeq: 41, capabilities: ['snapshot-chunks', 'rescan'], tags: ['criticality=high', 'env=prod'] },
  snapshot: {
    kind: 'snapshot',
    epoch: 3,
    seq: 42,
    chunkIndex: 0,
    chunkCount: 1,
    components: [deb, rpm, npm],
    digest: DIGEST,
    ports: [{ protocol: 'tcp', address: '0.0.0.0', port: 22, exposure: 'any', inode: 31337, pid: 812, process: 'sshd', executable: '/usr/sbin/sshd', package: 'pkg:deb/debian/openssh-server@1%3A9.2p1-2+deb12u3?arch=amd64&distro=debian-12' }],
    facts: { hostname: 'web-1', os: 'Debian GNU/Linux 12 (bookworm)', arch: 'x64', addresses: ['10.0.0.5'], kernel: '6.1.0-26-amd64' },
    os: { id: 'debian', versionId: '12', versionCodename: 'bookworm', prettyName: 'Debian GNU/Linux 12 (bookworm)', name: 'Debian GNU/Linux', idLike: ['debian'], distro: 'debian-12' },
    kernel: { running: '6.1.0-26-amd64', runningPackage: 'pkg:deb/debian/linux-image-6.1.0-26-amd64@6.1.112-1?arch=amd64&distro=debian-12', installed: ['pkg:deb/debian/linux-image-6.1.0-26-amd64@6.1.112-1?arch=amd64&distro=debian-12'] },
    inUse: ['pkg:deb/debian/libssl3@3.0.15-1~deb12u1?arch=amd64&distro=debian-12\u0000/var/lib/dpkg/status'],
  },
  delta: { kind: 'delta', epoch: 3, baseSeq: 42, seq: 43, added: [npm], removed: ['pkg:rpm/almalinux/bash@5.1.8-9.el9?arch=x86_64&distro=almalinux-9\u0000/var/lib/rpm/rpmdb.sqlite'], inUse: [], digestAfter: DIGEST },
  heartbeat: { kind: 'heartbeat', seq: 43, digest: DIGEST, rescanRequestId: 'r-7' },
  'command-result': { kind: 'command-result', commandId: 'c-2026-12-07-0001', signedResult: new Uint8Array(Buffer.from('{"payloadType":"x","payload":"","signatures":[]}')) },
};

const SERVER: Record<string, ServerMsg> = {
  welcome: { kind: 'welcome', seq: 42, epoch: 3, snapshotNeeded: false },
  ack: { kind: 'ack', seq: 43 },
  resync: { kind: 'resync', reason: 'digest-mismatch', detail: 'digest after seq 43 differs' },
  rescan: { kind: 'rescan', requestId: 'r-7' },
  'signed-command': { kind: 'signed-command', envelope: new Uint8Array(Buffer.from('{"payloadType":"application/vnd.vigil.command+json","payload":"e30=","signatures":[]}')) },
};

const ENROLL_REQUEST: EnrollRequest = { enrollmentToken: 'vgt_0123456789abcdef', publicKeyPem: '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----\n', hostname: 'web-1', machineId: '0123456789abcdef0123456789abcdef' };
const ENROLL_RESPONSE: EnrollResponse = { agentId: 'h-0001', clientCertificatePem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n', caCertificatePem: '-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n' };

/** Hex, 64 characters a line: a diff of a golden file points at the bytes that moved. */
function hex(bytes: Uint8Array): string {
  return (Buffer.from(bytes).toString('hex').match(/.{1,64}/g) ?? []).join('\n') + '\n';
}

describe('golden wire bytes', () => {
  it.each(Object.entries(AGENT))('agent → server %s', async (name, msg) => {
    const bytes = encodeAgentMessage(msg);
    await expectGolden(hex(bytes), `test/fixtures/wire/agent-${name}.hex`);
    expect(decodeAgentMessage(bytes)).toEqual(msg);
  });

  it.each(Object.entries(SERVER))('server → agent %s', async (name, msg) => {
    const bytes = encodeServerMessage(msg);
    await expectGolden(hex(bytes), `test/fixtures/wire/server-${name}.hex`);
    expect(decodeServerMessage(bytes)).toEqual(msg);
  });

  it("an agent's snapshot of the time components carried in_use (field 15, now reserved) still decodes, without it", () => {
    const bytes = Buffer.from(readFileSync(path.join(REPO, 'test/fixtures/wire/agent-snapshot-component-in-use.hex'), 'utf8').replace(/\s+/g, ''), 'hex');
    const { inUse: _, ...rest } = AGENT.snapshot as Extract<AgentMsg, { kind: 'snapshot' }>;
    expect(decodeAgentMessage(bytes)).toEqual(rest);
  });

  it('enrolment request and response', async () => {
    await expectGolden(hex(encodeEnrollRequest(ENROLL_REQUEST)), 'test/fixtures/wire/enroll-request.hex');
    await expectGolden(hex(encodeEnrollResponse(ENROLL_RESPONSE)), 'test/fixtures/wire/enroll-response.hex');
    expect(decodeEnrollRequest(encodeEnrollRequest(ENROLL_REQUEST))).toEqual(ENROLL_REQUEST);
    expect(decodeEnrollResponse(encodeEnrollResponse(ENROLL_RESPONSE))).toEqual(ENROLL_RESPONSE);
  });
});
