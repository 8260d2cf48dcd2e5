import { createPublicKey, sign, verify } from 'node:crypto';
import { generateSigningKeyPair, keyId, publicKeyPem, signCommand, signDelegation, verifyCommand } from '../common/signing.js';
import type { MatchRow } from './match.js';

/**
 * What the executor pays to check one signed command: the whole chain (size, JSON
 * shape, delegation signature and window, command signature, schema, grammar),
 * against the two bare Ed25519 verifications it contains.
 */
export function signingBench(median: (xs: number[]) => number): MatchRow[] {
  const root = generateSigningKeyPair();
  const online = generateSigningKeyPair();
  const now = new Date();
  const iso = (ms: number): string => new Date(now.getTime() + ms).toISOString();
  const delegation = signDelegation(
    {
      version: 1,
      keys: [{ keyid: online.keyid, publicKeyPem: publicKeyPem(online.publicKey) }],
      actions: ['patch'],
      managers: ['apt'],
      notBefore: iso(-60_000),
      expiresAt: iso(86_400_000),
      issuedAt: iso(0),
      serial: 1,
      revokedKeys: [],
    },
    root.privateKey,
  );
  const packages = Array.from({ length: 20 }, (_, i) => ({ name: `libdemo${i}`, version: `1.${i}.0-1+deb12u1` }));
  const bytes = signCommand(
    { version: 1, commandId: '6f1c1c5e-2b0e-4b7e-9d3a-000000000001', hostId: 'a-0123456789abcdef', jobId: '1', issuedAt: iso(0), notBefore: iso(-60_000), expiresAt: iso(3_600_000), action: 'patch', manager: 'apt', packages, options: { reboot: 'never' } },
    online.privateKey,
    delegation,
    publicKeyPem(root.publicKey),
  );
  const trust = { rootKeyId: keyId(root.publicKey) };
  const ctx = { hostId: 'a-0123456789abcdef', now };
  const N = 2000;
  const time = (fn: () => void): number => {
    for (let i = 0; i < 200; i++) fn();
    const runs: number[] = [];
    for (let r = 0; r < 5; r++) {
      const t = process.hrtime.bigint();
      for (let i = 0; i < N; i++) fn();
      runs.push(Number(process.hrtime.bigint() - t) / 1e3 / N);
    }
    return median(runs);
  };
  const full = time(() => verifyCommand(bytes, trust, ctx));
  const msg = Buffer.alloc(bytes.length / 2, 7);
  const pub = createPublicKey(publicKeyPem(online.publicKey));
  const sig = sign(null, msg, online.privateKey);
  const bare = time(() => {
    verify(null, msg, pub, sig);
    verify(null, msg, pub, sig);
  });
  return [
    {
      what: `verify one signed command (${bytes.length} B, 20 packages): delegation + command signatures, windows, schema, grammar`,
      result: `${full.toFixed(0)} µs per envelope. Reference: two bare Ed25519 verifications of the same size ${bare.toFixed(0)} µs (ratio ${(full / bare).toFixed(2)})`,
      target: '—',
    },
  ];
}
