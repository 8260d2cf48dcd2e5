import type { Component } from '../../common/model.js';
import { formatPurl } from '../../common/purl.js';
import type { CollectContext, CollectResult, Collector } from '../collector.js';
import { collectEach, readCollectorText } from '../text-file.js';
import { ZipArchive, ZipError } from '../../common/zip.js';
import { openInRoot } from '../file-source.js';
import { problem, problemFrom } from '../problems.js';
import { PYTHON_NAME_RE, parsePythonMetadata, pythonLicenses } from './python.parse.js';

/**
 * Installed Python distributions, from the metadata every installer leaves behind:
 * `*.dist-info/METADATA` (wheels, pip), `*.egg-info/PKG-INFO` (setuptools, distro
 * packages), single-file `*.egg-info` (distutils) and `*.egg/EGG-INFO/PKG-INFO`
 * (unzipped eggs), `EGG-INFO/PKG-INFO` inside zipped `*.egg` files. `RECORD` (the owned-file list) is not read: mapping files to
 * Python packages is not needed for ports, where the executable is the interpreter.
 * Each package records the environment it is installed in (`pythonEnvironment`, its
 * prefix, and `pythonEnvironmentKind`), found by the walk wherever it is.
 */

const NAME = 'python';
/** The headers are at the top, but the description (often a whole README) follows them. */
export const MAX_METADATA_BYTES = 8 * 1024 * 1024;
const VERSION_RE = /^[^\s\u0000-\u001f\u007f]{1,256}$/u;

function dirOf(p: string, base: string): { dir: string; parent: string } {
  const dirPath = p.slice(0, p.length - base.length - 1);
  const i = dirPath.lastIndexOf('/');
  const dir = dirPath.slice(i + 1);
  const parentPath = dirPath.slice(0, Math.max(i, 0));
  return { dir, parent: parentPath.slice(parentPath.lastIndexOf('/') + 1) };
}

/** Files that say what kind of environment a prefix is: a virtualenv's config, a conda environment's history. */
function isEnvironmentMarker(p: string, base: string): boolean {
  return base === 'pyvenv.cfg' || (base === 'history' && p.endsWith('/conda-meta/history'));
}

function wants(p: string, base: string): boolean {
  if (isEnvironmentMarker(p, base)) return true;
  if (base === 'METADATA') return dirOf(p, base).dir.endsWith('.dist-info');
  if (base === 'PKG-INFO') {
    const { dir, parent } = dirOf(p, base);
    return dir.endsWith('.egg-info') || (dir === 'EGG-INFO' && parent.endsWith('.egg'));
  }
  // A zipped egg (easy_install's default) is a file; an unzipped one is a directory, read above.
  if (base.endsWith('.egg')) return base.length > '.egg'.length;
  return base.endsWith('.egg-info') && base.length > '.egg-info'.length;
}

/** Eggs are zips read piecewise; this only refuses absurd files. */
const MAX_EGG_BYTES = 1024 * 1024 * 1024;

/** `EGG-INFO/PKG-INFO` inside a zipped egg, or undefined with a problem saying why not. */
async function eggMetadata(ctx: CollectContext, file: string, problems: CollectResult['problems']): Promise<string | undefined> {
  let src;
  try {
    src = await openInRoot(ctx.root, file, MAX_EGG_BYTES);
  } catch (err) {
    problems.push(problemFrom(NAME, file, err));
    return undefined;
  }
  if (!src) return undefined;
  try {
    const zip = await ZipArchive.open(src);
    const entry = zip.find('EGG-INFO/PKG-INFO');
    if (!entry || entry.isDirectory) {
      problems.push(problem(NAME, file, 'malformed-record', 'Python egg without EGG-INFO/PKG-INFO'));
      return undefined;
    }
    const text = (await zip.read(entry, MAX_METADATA_BYTES)).toString('utf8');
    if (text.includes('\0')) {
      problems.push(problem(NAME, file, 'corrupt', 'binary data in Python package metadata'));
      return undefined;
    }
    return text;
  } catch (err) {
    problems.push(err instanceof ZipError ? problem(NAME, file, err.kind, `not a readable Python egg: ${err.message}`) : problemFrom(NAME, file, err));
    return undefined;
  } finally {
    await src.close();
  }
}

/** `PREFIX/lib/pythonX.Y/site-packages/...` (or dist-packages, lib64): the environment is PREFIX. */
const SITE = /^(.*?)\/lib(?:64)?\/python[0-9.]*\/(?:site|dist)-packages\//;

export type PythonEnvironmentKind = 'venv' | 'conda' | 'pyenv' | 'system' | 'interpreter';

/**
 * The environment a metadata file belongs to, from its path and the markers the walk
 * found beside it: a virtualenv (`PREFIX/pyvenv.cfg`: venv, virtualenv, Poetry, pipx,
 * tox), a conda environment (`PREFIX/conda-meta/`), a pyenv-built interpreter
 * (`~/.pyenv/versions/V`), the system's (`/usr`, `/usr/local`) or another interpreter's.
 */
export function pythonEnvironment(file: string, venvs: ReadonlySet<string>, condas: ReadonlySet<string>): { prefix: string; kind: PythonEnvironmentKind } | undefined {
  const m = SITE.exec(file);
  if (!m) return undefined;
  const prefix = m[1] || '/';
  let kind: PythonEnvironmentKind = 'interpreter';
  if (venvs.has(prefix)) kind = 'venv';
  else if (condas.has(prefix)) kind = 'conda';
  else if (/\/\.pyenv\/versions\/[^/]+$/.test(prefix)) kind = 'pyenv';
  else if (prefix === '/usr' || prefix === '/usr/local' || prefix === '/') kind = 'system';
  return { prefix, kind };
}

async function collectFile(ctx: CollectContext, file: string, out: CollectResult, env?: ReturnType<typeof pythonEnvironment>): Promise<void> {
  const text = file.endsWith('.egg') ? await eggMetadata(ctx, file, out.problems) : await readCollectorText(ctx, NAME, file, MAX_METADATA_BYTES, 'Python package metadata', out.problems);
  if (text === undefined) return;
  const md = parsePythonMetadata(text);
  // Python keeps trailing spaces in header values; names and versions never have them.
  const name = md.name?.trim();
  const version = md.version?.trim();
  if (!name || !version) {
    const missing = [!name && 'Name', !version && 'Version'].filter(Boolean).join(' and ');
    out.problems.push(problem(NAME, file, 'malformed-record', `Python package metadata without ${missing}`));
    return;
  }
  if (!PYTHON_NAME_RE.test(name) || name.length > 256) {
    out.problems.push(problem(NAME, file, 'malformed-record', `invalid Python package name ${JSON.stringify(name.slice(0, 120))}`));
    return;
  }
  if (!VERSION_RE.test(version)) {
    out.problems.push(problem(NAME, file, 'malformed-record', `invalid version ${JSON.stringify(version.slice(0, 120))}`));
    return;
  }
  const c: Component = {
    ecosystem: 'pypi',
    name,
    version,
    purl: formatPurl({ type: 'pypi', name, version }),
    locations: [file],
    foundBy: NAME,
  };
  const licenses = pythonLicenses(md);
  if (licenses.length) c.licenses = licenses;
  const metadata: NonNullable<Component['metadata']> = {};
  if (md.metadataVersion) metadata.metadataVersion = md.metadataVersion.trim();
  if (md.requiresDist.length) metadata.requiresDist = md.requiresDist.map((r) => r.trim());
  if (env) {
    metadata.pythonEnvironment = env.prefix;
    metadata.pythonEnvironmentKind = env.kind;
  }
  if (Object.keys(metadata).length) c.metadata = metadata;
  out.components.push(c);
}

function collect(ctx: CollectContext): Promise<CollectResult> {
  const venvs = new Set<string>();
  const condas = new Set<string>();
  const files: string[] = [];
  for (const f of ctx.files) {
    const base = f.slice(f.lastIndexOf('/') + 1);
    if (base === 'pyvenv.cfg') venvs.add(f.slice(0, -'/pyvenv.cfg'.length) || '/');
    else if (isEnvironmentMarker(f, base)) condas.add(f.slice(0, -'/conda-meta/history'.length) || '/');
    else files.push(f);
  }
  return collectEach({ ...ctx, files }, 'Python package metadata', (c, file, out) => collectFile(c, file, out, pythonEnvironment(file, venvs, condas)));
}

export const pythonCollector: Collector = {
  name: NAME,
  version: 2,
  databases: [],
  wants,
  collect,
};
