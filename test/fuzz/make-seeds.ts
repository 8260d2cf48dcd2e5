/**
 * Writes the signed-command seed of the dsse-command and executor-request fuzz
 * targets: a delegation and a patch command signed by fresh keys, valid at the
 * targets' fixed clock, and the root key id they verify under. Run once with
 * `npx tsx test/fuzz/make-seeds.ts` (or vite-node); the outputs are kept in the corpus.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateSigningKeyPair, publicKeyPem, signCommand, signDelegation } from '../../src/common/signing.js';
import { CORPUS_DIR } from './targets.js';

const root = generateSigningKeyPair();
const online = generateSigningKeyPair();
const delegation = signDelegation(
  {
    version: 1,
    keys: [{ keyid: online.keyid, publicKeyPem: publicKeyPem(online.publicKey) }],
    actions: ['patch', 'rescan'],
    managers: ['apt', 'dnf', 'apk'],
    notBefore: '2025-12-31T00:00:00.000Z',
    expiresAt: '2026-01-08T00:00:00.000Z',
    issuedAt: '2025-12-31T00:00:00.000Z',
    serial: 42,
    revokedKeys: [],
  },
  root.privateKey,
);
const bytes = signCommand(
  {
    version: 1,
    commandId: 'c-5f2b9a7e',
    hostId: 'a-0123456789abcdef',
    jobId: 'j-0001',
    issuedAt: '2026-01-01T00:00:00.000Z',
    notBefore: '2026-01-01T00:00:00.000Z',
    expiresAt: '2026-01-01T01:00:00.000Z',
    action: 'patch',
    manager: 'apt',
    packages: [{ name: 'openssl', version: '3.0.15-1~deb12u1' }],
    options: { reboot: 'never' },
  },
  online.privateKey,
  delegation,
  publicKeyPem(root.publicKey),
);
const dir = path.join(CORPUS_DIR, 'dsse-command');
writeFileSync(path.join(dir, 'seed-signed-command.json'), bytes);
writeFileSync(path.join(dir, 'trust.json'), JSON.stringify({ rootKeyId: root.keyid }) + '\n');
