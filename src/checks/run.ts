import type { Component } from '../common/model.js';
import { componentLogger } from '../common/log.js';
import { COLLECTORS } from '../inventory/registry.js';
import { evaluate, valueText } from './expect.js';
import type { FactContext } from './fact-reader.js';
import type { Benchmark, CheckDefinition, CheckResult, ChecksReport, Condition, Fact } from './model.js';
import { readerOf } from './readers/index.js';

/**
 * Running a benchmark against a root: each check's condition, then its fact, then the
 * comparison. A fact that cannot be read makes that check `error` (with the reason)
 * and the run goes on. Compliance is passed / (passed + failed): checks that are not
 * applicable or in error are left out of it, and counted beside it.
 */

export const COMPLIANCE_BASIS = 'passed / (passed + failed) × 100; not_applicable and error results are left out';

/** The package databases' collectors (dpkg, apk, rpm); pacman and language packages do not say what a system runs. */
const PACKAGE_COLLECTORS = new Set(['dpkg', 'apk', 'rpm-sqlite', 'rpm-bdb', 'rpm-ndb']);

function packagesOf(root: string, live: boolean): FactContext['packages'] {
  let done: Promise<{ components: Component[]; problems: string[] }> | undefined;
  const log = componentLogger('checks');
  return () =>
    (done ??= (async () => {
      const components: Component[] = [];
      const problems: string[] = [];
      for (const c of COLLECTORS.filter((x) => PACKAGE_COLLECTORS.has(x.name))) {
        const r = await c.collect({ root, files: [], live, log });
        components.push(...r.components);
        problems.push(...r.problems.map((p) => `${p.path}: ${p.message}`));
      }
      return { components, problems };
    })());
}

/** The fact a condition reads, in words ("package openssh-server"). */
function factLabel({ fact: f }: Pick<Condition, 'fact'>): string {
  switch (f.kind) {
    case 'package': return `package ${f.names.join(' or ')}`;
    case 'service': return `unit ${f.units.join(' or ')}`;
    case 'sysctl': return `sysctl ${f.key}`;
    case 'file_key': return `${f.key} of ${f.path}`;
    case 'file_mode': return f.path;
    case 'world_writable': return `files under ${f.paths.join(', ')}`;
  }
}

async function readFact(cond: Pick<Condition, 'fact'>, ctx: FactContext): Promise<Fact> {
  return readerOf(cond.fact).read(cond.fact, ctx);
}

async function runOne(check: CheckDefinition, sectionCond: Condition | undefined, ctx: FactContext): Promise<Omit<CheckResult, 'section' | 'source'>> {
  const base = { id: check.id, title: check.title };
  let expected = evaluate(check.expect, { evidence: [] }).expected;
  try {
    for (const cond of [sectionCond, check.applies_if]) {
      if (!cond) continue;
      const fact = await readFact(cond, ctx);
      const v = evaluate(cond.expect, fact);
      if (!v.ok)
        return { ...base, status: 'not_applicable', expected, found: { value: fact.value ?? null, text: v.found, evidence: fact.evidence, ...(fact.notes ? { notes: fact.notes } : {}) }, reason: `applies only when ${factLabel(cond)} ${v.expected}: ${v.reason}` };
    }
    const fact = await readFact(check, ctx);
    const v = evaluate(check.expect, fact);
    expected = v.expected;
    return {
      ...base,
      status: v.ok ? 'pass' : 'fail',
      expected,
      found: { value: fact.value ?? null, text: v.found, evidence: fact.evidence, ...(fact.notes ? { notes: fact.notes } : {}) },
      reason: v.ok ? 'as expected' : v.reason,
    };
  } catch (err) {
    return { ...base, status: 'error', expected, found: { value: null, text: valueText(undefined), evidence: [] }, reason: (err as Error).message.split('\n')[0]!.slice(0, 500) };
  }
}

export async function runChecks(bench: Benchmark, opts: { root: string }): Promise<ChecksReport> {
  const live = opts.root === '/';
  const ctx: FactContext = { root: opts.root, live, packages: packagesOf(opts.root, live) };
  const results: CheckResult[] = [];
  for (const s of bench.sections)
    for (const c of s.checks) results.push({ ...(await runOne(c, s.applies_if, ctx)), section: s.section, source: { benchmark: bench.name, file: s.file } });
  const count = (st: CheckResult['status']) => results.filter((r) => r.status === st).length;
  const pass = count('pass');
  const fail = count('fail');
  return {
    benchmark: { name: bench.name, source: bench.source, sections: bench.sections.length, controls: results.length },
    root: opts.root,
    results,
    summary: {
      pass,
      fail,
      not_applicable: count('not_applicable'),
      error: count('error'),
      compliance_percent: pass + fail ? Math.round((1000 * pass) / (pass + fail)) / 10 : null,
      compliance_basis: COMPLIANCE_BASIS,
    },
  };
}
