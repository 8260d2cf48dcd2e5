import { packageKey } from '../advisories/keys.js';
import type { AffectedStatus } from '../advisories/model.js';
import type { Inventory } from '../common/model.js';
import type { AdvisoryStore } from '../store/advisory-store.js';
import { SCHEMES } from '../versions/index.js';
import { satisfiesRange } from '../versions/semver.js';
import { VersionError } from '../versions/scheme.js';
import { evaluate } from './affected.js';
import { lookupTargets } from '../ecosystems/index.js';

/** One advisory record weighed against one installed component, whatever the verdict. */
export interface Explanation {
  component: { purl: string; name: string; version: string; locations: string[] };
  source: string;
  record: string;
  aliases: string[];
  withdrawn?: string;
  namespace: string;
  packageCompared: string;
  via: 'direct' | 'source';
  installedVersion: string;
  fixedVersion?: string;
  scheme: string;
  status: AffectedStatus;
  affected: boolean;
  rule: string;
  note?: string;
}

/**
 * Every record about `vulnerability` (by id or alias) that names a package of the
 * inventory in the namespace the host selects, with the verdict and the rule that
 * decided it: why a finding exists, or why it does not (not affected, fixed
 * version installed, withdrawn, another release's namespace).
 */
export function explain(inv: Inventory, store: AdvisoryStore, vulnerability: string, packageName?: string): Explanation[] {
  const out: Explanation[] = [];
  const records = store.advisory(vulnerability);
  for (const c of inv.components) {
    if (packageName && c.name !== packageName && c.source?.name !== packageName) continue;
    for (const t of lookupTargets(c, inv.os)) {
      const key = packageKey(t.namespace, t.package);
      for (const adv of records) {
        for (const a of adv.affected) {
          if (a.namespace !== t.namespace || packageKey(a.namespace, a.package) !== key) continue;
          let affected = false;
          let rule: string;
          if (adv.withdrawn) rule = `record withdrawn on ${adv.withdrawn}: never matches`;
          else {
            try {
              const v = evaluate(t.version, a, SCHEMES[a.scheme], satisfiesRange);
              affected = v.affected;
              rule = v.rule.replace(/^the version /, `${t.version} `);
            } catch (err) {
              if (!(err instanceof VersionError)) throw err;
              rule = `not compared: ${err.message}`;
            }
          }
          const e: Explanation = {
            component: { purl: c.purl, name: c.name, version: c.version, locations: c.locations },
            source: adv.source,
            record: adv.id,
            aliases: adv.aliases,
            namespace: t.namespace,
            packageCompared: t.package,
            via: t.via,
            installedVersion: t.version,
            scheme: a.scheme,
            status: a.status,
            affected,
            rule,
          };
          if (adv.withdrawn) e.withdrawn = adv.withdrawn;
          if (a.fixedVersion) e.fixedVersion = a.fixedVersion;
          if (a.note) e.note = a.note;
          out.push(e);
        }
      }
    }
  }
  return out;
}
