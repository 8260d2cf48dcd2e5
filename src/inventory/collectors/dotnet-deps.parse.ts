/**
 * .NET dependency manifests (`<app>.deps.json`), which `dotnet build` and `dotnet publish`
 * put beside an application (and the shared frameworks beside their own assemblies).
 * `libraries` lists everything the application resolves, keyed `Name/Version`, each with
 * a `type`: `package` is a NuGet package and is reported; `project` (the application and
 * the projects it references), `reference` and `runtimepack` are not NuGet packages of
 * the application and are skipped. A package that a project lists under `dependencies` in
 * the runtime target's graph is a direct dependency.
 */
import { isNuGetId, isNuGetVersion } from './nuget-lock.parse.js';
import { isObject, parseJsonObject, quote } from './npm-package-json.parse.js';

export interface DotnetDepsPackage {
  name: string;
  version: string;
  /** Listed by a project of the runtime target; undefined when the file has no graph for that target. */
  direct?: boolean;
  /** The `sha512-…` integrity of the package archive, as NuGet computed it. */
  sha512?: string;
}

export interface DotnetDepsResult {
  /** `.NETCoreApp,Version=v8.0`, with `/<rid>` for a self-contained application. */
  runtimeTarget?: string;
  packages: DotnetDepsPackage[];
  errors: string[];
}

const MAX_TARGET = 256;
const CONTROL = /[\u0000-\u001f\u007f]/;
const SHA512 = /^sha512-[A-Za-z0-9+/]{86}==$/;

/** Throws JsonFileError when the file is not a JSON object, Error when `libraries` is missing or not an object. */
export function parseDotnetDeps(text: string): DotnetDepsResult {
  const doc = parseJsonObject(text, '.deps.json');
  const out: DotnetDepsResult = { packages: [], errors: [] };
  if (!isObject(doc.libraries)) throw new Error(doc.libraries === undefined ? '.deps.json has no "libraries"' : '.deps.json "libraries" is not an object');
  const target = isObject(doc.runtimeTarget) && typeof doc.runtimeTarget.name === 'string' ? doc.runtimeTarget.name : undefined;
  if (target !== undefined && target.length <= MAX_TARGET && !CONTROL.test(target)) out.runtimeTarget = target;
  const direct = directDependencies(doc, out.runtimeTarget);
  const seen = new Set<string>();
  for (const [key, lib] of Object.entries(doc.libraries)) {
    if (!isObject(lib)) {
      out.errors.push(`library ${quote(key)} is not an object`);
      continue;
    }
    if (typeof lib.type !== 'string') {
      out.errors.push(`library ${quote(key)} has no type`);
      continue;
    }
    if (lib.type.toLowerCase() !== 'package') continue;
    const slash = key.indexOf('/');
    const name = slash < 0 ? key : key.slice(0, slash);
    const version = slash < 0 ? '' : key.slice(slash + 1);
    if (!isNuGetId(name)) {
      out.errors.push(`library ${quote(key)}: not a NuGet package id`);
      continue;
    }
    if (!isNuGetVersion(version)) {
      out.errors.push(`library ${quote(key)}: ${version === '' ? 'no version (the key is Name/Version)' : `invalid version ${quote(version)}`}`);
      continue;
    }
    const id = `${name.toLowerCase()}/${version.toLowerCase()}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const pkg: DotnetDepsPackage = { name, version };
    if (direct) pkg.direct = direct.has(id);
    if (typeof lib.sha512 === 'string' && SHA512.test(lib.sha512)) pkg.sha512 = lib.sha512;
    out.packages.push(pkg);
  }
  out.packages.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.version < b.version ? -1 : a.version > b.version ? 1 : 0));
  return out;
}

/** `name/version` (lower case) of what the projects of the runtime target depend on; undefined without that target's graph. */
function directDependencies(doc: Record<string, unknown>, target: string | undefined): Set<string> | undefined {
  if (target === undefined || !isObject(doc.targets) || !isObject(doc.libraries)) return undefined;
  const graph = doc.targets[target];
  if (!isObject(graph)) return undefined;
  const out = new Set<string>();
  for (const [key, node] of Object.entries(graph)) {
    const lib = doc.libraries[key];
    if (!isObject(lib) || typeof lib.type !== 'string' || lib.type.toLowerCase() !== 'project') continue;
    if (!isObject(node) || !isObject(node.dependencies)) continue;
    for (const [dep, version] of Object.entries(node.dependencies)) if (typeof version === 'string') out.add(`${dep.toLowerCase()}/${version.toLowerCase()}`);
  }
  return out;
}
