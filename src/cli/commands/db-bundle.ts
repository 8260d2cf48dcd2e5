import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { formatBytes } from '../../advisories/download.js';
import { VigilError } from '../../common/errors.js';
import { generateSigningKeyPair, readPrivateKeyFile, readPublicKeyFile, writeKeyPair } from '../../common/signing.js';
import { parseDuration } from '../../server/tokens.js';
import { importAdvisoryBundle, isAdvisoryBundle, writeAdvisoryBundle } from '../../store/sqlite-advisory-bundle.js';
import { parse } from '../args.js';
import { dbFile } from '../advisory-db.js';

/** The synopsis lines `vigil db` lists. */
export const DB_BUNDLE_SYNOPSIS = `       vigil db import --verify PUBKEY BUNDLE [--db DIR] [--json] [--quiet]
       vigil db bundle -o FILE --key KEY [--expires 30d] [--db DIR] [--json] [--quiet]
       vigil db bundle-key -o DIR [--json]`;

export const DB_BUNDLE_USAGE = `bundle  write the whole advisory database as one signed file for air-gapped hosts:
        a consistent SQLite snapshot, gzip'd, behind a manifest (feeds, counts,
        digests, creation and expiry time) signed with the Ed25519 KEY, valid for
        --expires (default 30d). FILE is replaced only when it is a bundle.
bundle-key
        create DIR/bundle.key (0600) and DIR/bundle.pub, the key pair bundles are
        signed with and verified by; prints the key id.
import --verify
        check the bundle completely (signature by PUBKEY, manifest, payload and
        database digests, schema, feeds; not expired; not older than the bundle
        or feeds the database holds), then replace the database's advisories with
        it in one transaction. Tampered, truncated or wrongly signed bundles exit
        4, expired or rolled-back ones 8; the database stays as it was.`;

function required(v: string | undefined, flag: string): string {
  if (v === undefined || v === '') throw new VigilError('USAGE', `${flag} is required`);
  return v;
}

export async function dbBundleCommand(argv: string[]): Promise<number> {
  const { values } = parse(
    argv,
    {
      output: { type: 'string', short: 'o' },
      key: { type: 'string' },
      expires: { type: 'string' },
      db: { type: 'string' },
      json: { type: 'boolean' },
      quiet: { type: 'boolean', short: 'q' },
    },
    0,
  );
  const out = path.resolve(required(values.output, '-o'));
  const key = readPrivateKeyFile(required(values.key, '--key'));
  const seconds = parseDuration(values.expires ?? '30d');
  const createdAt = new Date();
  const started = performance.now();
  const r = await writeAdvisoryBundle({ db: dbFile(values.db), out, key, createdAt, expiresAt: new Date(createdAt.getTime() + seconds * 1000) });
  const ms = Math.round(performance.now() - started);
  const m = r.manifest;
  if (values.json) {
    process.stdout.write(JSON.stringify({ file: r.file, keyid: r.keyid, bytes: r.bytes, ms, manifest: m }) + '\n');
  } else if (!values.quiet) {
    process.stderr.write(
      `vigil: wrote ${r.file}: ${m.feeds.length} feeds, ${m.records.advisories} advisories, ${formatBytes(r.bytes)} (database ${formatBytes(m.database.size)}), signed by ${r.keyid}, expires ${m.expiresAt}\n`,
    );
  }
  return 0;
}

export async function dbBundleKeyCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, { output: { type: 'string', short: 'o' }, json: { type: 'boolean' } }, 0);
  const dir = path.resolve(required(values.output, '-o'));
  const pair = generateSigningKeyPair();
  let files: { privateKeyFile: string; publicKeyFile: string };
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    files = writeKeyPair(dir, 'bundle', pair);
    // The public half goes to every air-gapped server; only bundle.key stays secret.
    chmodSync(files.publicKeyFile, 0o644);
  } catch (err) {
    if (err instanceof VigilError && err.code === 'CONFLICT') throw new VigilError('CONFLICT', `a bundle key already exists in ${dir}; refusing to overwrite it`, { cause: err });
    throw new VigilError('IO', `cannot write the bundle key in ${dir}: ${(err as Error).message}`, { cause: err });
  }
  if (values.json) process.stdout.write(JSON.stringify({ dir, keyid: pair.keyid, privateKey: files.privateKeyFile, publicKey: files.publicKeyFile }) + '\n');
  else {
    process.stderr.write(`vigil: bundle key created in ${dir}; sign with bundle.key, give bundle.pub to the hosts that import\n`);
    process.stdout.write(`${pair.keyid}\n`);
  }
  return 0;
}

/** Whether `db import` was given a bundle: then it goes through importBundle, never the feed readers. */
export async function anyBundle(paths: string[]): Promise<boolean> {
  for (const p of paths) if (await isAdvisoryBundle(p)) return true;
  return false;
}

export async function dbImportBundle(values: { verify?: string | undefined; db?: string | undefined; json?: boolean | undefined; quiet?: boolean | undefined }, positionals: string[]): Promise<number> {
  if (values.verify === undefined) {
    const b = [];
    for (const p of positionals) if (await isAdvisoryBundle(p)) b.push(p);
    throw new VigilError('USAGE', `${b[0]} is a signed advisory bundle: import it with vigil db import --verify PUBKEY ${b[0]}`);
  }
  if (positionals.length !== 1) throw new VigilError('USAGE', 'vigil db import --verify PUBKEY takes exactly one BUNDLE');
  const file = positionals[0]!;
  const publicKey = readPublicKeyFile(values.verify);
  const started = performance.now();
  const r = await importAdvisoryBundle({ db: dbFile(values.db), bundle: file, publicKey });
  const ms = Math.round(performance.now() - started);
  const m = r.manifest;
  if (values.json) process.stdout.write(JSON.stringify({ file: path.resolve(file), keyid: r.keyid, digest: r.digest, ms, createdAt: m.createdAt, expiresAt: m.expiresAt, feeds: m.feeds.length, records: m.records }) + '\n');
  else if (!values.quiet)
    process.stderr.write(`vigil: imported bundle ${file}: ${m.feeds.length} feeds, ${m.records.advisories} advisories, created ${m.createdAt}, signed by ${r.keyid}\n`);
  return 0;
}
