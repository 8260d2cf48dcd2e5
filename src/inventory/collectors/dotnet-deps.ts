import { describeError } from '../../common/errors.js';
import type { Component } from '../../common/model.js';
import type { CollectContext, CollectResult, Collector } from '../collector.js';
import { problem } from '../problems.js';
import { collectEach, readCollectorText } from '../text-file.js';
import { parseDotnetDeps, type DotnetDepsPackage } from './dotnet-deps.parse.js';
import { entryProblems, nugetComponent } from './nuget-lock.js';

/**
 * The NuGet packages of built and published .NET applications, from the `*.deps.json`
 * manifest the runtime reads at start-up: what is deployed, whether or not the project
 * and its lock file are on the host. The shared frameworks' own manifests are read too.
 */

const NAME = 'dotnet-deps';
/** Manifests of large self-contained applications are a few hundred KiB. */
export const MAX_DEPS_JSON_BYTES = 16 * 1024 * 1024;
const SUFFIX = '.deps.json';

function wants(_p: string, base: string): boolean {
  return base.endsWith(SUFFIX) && base.length > SUFFIX.length;
}

function component(file: string, pkg: DotnetDepsPackage, runtimeTarget: string | undefined): Component {
  const metadata: NonNullable<Component['metadata']> = {};
  if (pkg.direct !== undefined) metadata.direct = pkg.direct;
  if (runtimeTarget !== undefined) metadata.runtimeTarget = runtimeTarget;
  if (pkg.sha512 !== undefined) metadata.sha512 = pkg.sha512;
  return nugetComponent(pkg.name, pkg.version, file, NAME, metadata);
}

async function collectFile(ctx: CollectContext, file: string, out: CollectResult): Promise<void> {
  const text = await readCollectorText(ctx, NAME, file, MAX_DEPS_JSON_BYTES, 'a .deps.json file', out.problems);
  if (text === undefined) return;
  let parsed;
  try {
    parsed = parseDotnetDeps(text);
  } catch (err) {
    out.problems.push(problem(NAME, file, 'corrupt', describeError(err)));
    return;
  }
  out.problems.push(...entryProblems(NAME, file, parsed.errors));
  for (const pkg of parsed.packages) out.components.push(component(file, pkg, parsed.runtimeTarget));
  ctx.log.debug({ path: file, runtime_target: parsed.runtimeTarget, packages: parsed.packages.length }, '.deps.json read');
}

function collect(ctx: CollectContext): Promise<CollectResult> {
  return collectEach(ctx, '.deps.json files', collectFile);
}

export const dotnetDepsCollector: Collector = {
  name: NAME,
  version: 1,
  databases: [],
  wants,
  collect,
};
