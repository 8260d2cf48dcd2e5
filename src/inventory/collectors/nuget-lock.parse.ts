/**
 * NuGet lock files (`packages.lock.json`, written by `dotnet restore --use-lock-file`):
 * `dependencies` maps each target framework (`net8.0`, `.NETCoreApp,Version=v5.0`, with
 * `/<runtime id>` for runtime-specific graphs) to the packages restored for it, each with
 * its `type` (`Direct`, `Transitive`, `CentralTransitive` under central package
 * management, or `Project` for a referenced project, which is no package) and the
 * `resolved` version. A package is reported once per id and version, with every
 * framework it is restored for.
 */
import { isObject, parseJsonObject, quote } from './npm-package-json.parse.js';

export interface NuGetLockPackage {
  /** The package id as the lock file spells it (NuGet ids are case-insensitive). */
  name: string;
  version: string;
  /** A direct dependency of the project in at least one framework. */
  direct: boolean;
  /** The target frameworks (and runtime graphs) it is restored for, sorted. */
  frameworks: string[];
}

export interface NuGetLockResult {
  /** The lock file's format version (1, or 2 with central package management). */
  version?: number;
  packages: NuGetLockPackage[];
  /** Entries that could not be reported, one message each. */
  errors: string[];
}

/** NuGet's PackageIdValidator: word characters in runs joined by `.` or `-`, at most 100 long. */
export const NUGET_ID = /^[\p{L}\p{Nd}\p{Mn}\p{Pc}]+(?:[.-][\p{L}\p{Nd}\p{Mn}\p{Pc}]+)*$/u;
const MAX_ID = 100;
/** Versions as NuGet writes them: numbers, labels and metadata; a version Vigil's scheme cannot order is still listed, and the matcher says so. */
const VERSION = /^[0-9A-Za-z][0-9A-Za-z.+-]{0,255}$/;
const MAX_FRAMEWORK = 256;
const CONTROL = /[\u0000-\u001f\u007f]/;
const PACKAGE_TYPES = new Set(['Direct', 'Transitive', 'CentralTransitive']);

export function isNuGetId(name: string): boolean {
  return name.length <= MAX_ID && NUGET_ID.test(name);
}

export function isNuGetVersion(version: string): boolean {
  return VERSION.test(version);
}

/** Throws JsonFileError when the file is not a JSON object, Error when `dependencies` is not one; everything else is per entry. */
export function parseNuGetLock(text: string): NuGetLockResult {
  const doc = parseJsonObject(text, 'NuGet lock file');
  const out: NuGetLockResult = { packages: [], errors: [] };
  if (typeof doc.version === 'number') out.version = doc.version;
  if (doc.dependencies === undefined) throw new Error('NuGet lock file has no "dependencies"');
  if (!isObject(doc.dependencies)) throw new Error('NuGet lock file "dependencies" is not an object');
  const byId = new Map<string, NuGetLockPackage>();
  for (const [framework, deps] of Object.entries(doc.dependencies)) {
    if (framework.length > MAX_FRAMEWORK || CONTROL.test(framework) || framework.trim() === '') {
      out.errors.push(`target framework ${quote(framework)} is not a framework name; its packages were not read`);
      continue;
    }
    if (!isObject(deps)) {
      out.errors.push(`target framework ${quote(framework)} is not an object`);
      continue;
    }
    for (const [name, entry] of Object.entries(deps)) {
      const where = `${quote(framework)}: package ${quote(name)}`;
      if (!isObject(entry)) {
        out.errors.push(`${where} is not an object`);
        continue;
      }
      if (entry.type === 'Project') continue;
      if (typeof entry.type !== 'string' || !PACKAGE_TYPES.has(entry.type)) {
        out.errors.push(`${where}: unknown type ${quote(String(entry.type))}`);
        continue;
      }
      if (!isNuGetId(name)) {
        out.errors.push(`${where}: not a NuGet package id`);
        continue;
      }
      if (typeof entry.resolved !== 'string' || entry.resolved === '') {
        out.errors.push(`${where}: no resolved version`);
        continue;
      }
      if (!isNuGetVersion(entry.resolved)) {
        out.errors.push(`${where}: invalid version ${quote(entry.resolved)}`);
        continue;
      }
      const id = `${name.toLowerCase()}@${entry.resolved.toLowerCase()}`;
      let pkg = byId.get(id);
      if (!pkg) byId.set(id, (pkg = { name, version: entry.resolved, direct: false, frameworks: [] }));
      pkg.direct ||= entry.type === 'Direct';
      if (!pkg.frameworks.includes(framework)) pkg.frameworks.push(framework);
    }
  }
  out.packages = [...byId.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.version < b.version ? -1 : a.version > b.version ? 1 : 0));
  for (const p of out.packages) p.frameworks.sort();
  return out;
}
