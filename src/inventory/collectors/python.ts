import type { Component } from '../../common/model.js';
import { formatPurl } from '../../common/purl.js';
import type { CollectContext, CollectResult, Collector } from '../collector.js';
import { collectEach, readCollectorText } from '../text-file.js';
import { problem } from '../problems.js';
import { PYTHON_NAME_RE, parsePythonMetadata, pythonLicenses } from './python.parse.js';

/**
 * Installed Python distributions, from the metadata every installer leaves behind:
 * `*.dist-info/METADATA` (wheels, pip), `*.egg-info/PKG-INFO` (setuptools, distro
 * packages), single-file `*.egg-info` (distutils) and `*.egg/EGG-INFO/PKG-INFO`
 * (unzipped eggs). `RECORD` (the owned-file list) is not read: mapping files to
 * Python packages is not needed for ports, where the executable is the interpreter.
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

function wants(p: string, base: string): boolean {
  if (base === 'METADATA') return dirOf(p, base).dir.endsWith('.dist-info');
  if (base === 'PKG-INFO') {
    const { dir, parent } = dirOf(p, base);
    return dir.endsWith('.egg-info') || (dir === 'EGG-INFO' && parent.endsWith('.egg'));
  }
  return base.endsWith('.egg-info') && base.length > '.egg-info'.length;
}

async function collectFile(ctx: CollectContext, file: string, out: CollectResult): Promise<void> {
  const text = await readCollectorText(ctx, NAME, file, MAX_METADATA_BYTES, 'Python package metadata', out.problems);
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
  if (Object.keys(metadata).length) c.metadata = metadata;
  out.components.push(c);
}

function collect(ctx: CollectContext): Promise<CollectResult> {
  return collectEach(ctx, 'Python package metadata', collectFile);
}

export const pythonCollector: Collector = {
  name: NAME,
  version: 1,
  databases: [],
  wants,
  collect,
};
