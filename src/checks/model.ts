/**
 * Configuration checks as data: a benchmark is a set of YAML files, one per section,
 * each listing checks that read one fact of a root (a key of a config file, a sysctl,
 * a file's mode and owner, an installed package, an enabled unit, world-writable
 * files) and compare it with an expected value. The format is
 * schemas/config-check.schema.json; results are schemas/config-check-result.schema.json.
 */

export const FACT_KINDS = ['file_key', 'sysctl', 'file_mode', 'package', 'service', 'world_writable'] as const;
export type FactKind = (typeof FACT_KINDS)[number];

/** Line syntaxes of file_key: how a file's lines give keys and values. */
export const SYNTAXES = ['sshd', 'space', 'shell', 'systemd', 'apt', 'limits'] as const;
export type Syntax = (typeof SYNTAXES)[number];

export interface FileKeyFact {
  kind: 'file_key';
  path: string;
  key: string;
  syntax: Syntax;
  /** systemd syntax: the [Section] the key belongs to. */
  section?: string;
  /** Drop-in directories read after `path`, as systemd and apt read them. */
  drop_ins?: string[];
  /** The value the program uses when no file sets the key (its compiled-in default). */
  default?: string;
}
export interface SysctlFact {
  kind: 'sysctl';
  key: string;
  /** The kernel's default when no file sets it (a root's files are all a root can say). */
  default?: string;
}
export interface FileModeFact {
  kind: 'file_mode';
  path: string;
}
export interface PackageFact {
  kind: 'package';
  /** Any of these names. */
  names: string[];
}
export interface ServiceFact {
  kind: 'service';
  /** Any of these units. */
  units: string[];
}
export interface WorldWritableFact {
  kind: 'world_writable';
  paths: string[];
}
export type FactSpec = FileKeyFact | SysctlFact | FileModeFact | PackageFact | ServiceFact | WorldWritableFact;

/** What a check expects of its fact; which keys a kind takes is checked when the file loads. */
export interface Expect {
  equals?: string;
  one_of?: string[];
  not_one_of?: string[];
  at_least?: number;
  at_most?: number;
  matches?: string;
  present?: boolean;
  mode_at_most?: string;
  owner?: string;
  group?: string;
  installed?: boolean;
  enabled?: boolean;
  none?: boolean;
}

export interface Condition {
  fact: FactSpec;
  expect: Expect;
}

export interface CheckDefinition {
  id: string;
  title: string;
  rationale: string;
  fact: FactSpec;
  expect: Expect;
  /** The check is not applicable unless this holds (an SSH server installed, say). */
  applies_if?: Condition;
}

export interface BenchmarkSection {
  /** Root-relative-to-the-benchmark path of the YAML file, for results and errors. */
  file: string;
  section: string;
  title: string;
  applies_if?: Condition;
  checks: CheckDefinition[];
}

export interface Benchmark {
  name: string;
  /** The file or directory it was loaded from. */
  source: string;
  sections: BenchmarkSection[];
}

/** One line (or entry) a reader read: where the value came from. */
export interface Evidence {
  path: string;
  line?: number;
  text: string;
}

/** A fact as read from a root. `value` undefined means not set / absent. */
export interface Fact {
  value?: string | number | boolean | string[] | FileModeValue;
  /** Where it was read (set lines, stat results, package records). */
  evidence: Evidence[];
  /** What the reader could not evaluate and says so (Match blocks, globbed sysctl keys). */
  notes?: string[];
}

export interface FileModeValue {
  mode: string;
  uid: number;
  gid: number;
  owner?: string;
  group?: string;
}

export type CheckStatus = 'pass' | 'fail' | 'not_applicable' | 'error';

export interface CheckResult {
  id: string;
  title: string;
  section: string;
  status: CheckStatus;
  /** The expectation in words ("PermitRootLogin is no"). */
  expected: string;
  found: {
    value: Fact['value'] | null;
    /** The value in words, as compared. */
    text: string;
    evidence: Evidence[];
    notes?: string[];
  };
  /** Why: the failed comparison, the unmet condition, or the error. */
  reason: string;
  source: { benchmark: string; file: string };
}

export interface ChecksReport {
  benchmark: { name: string; source: string; sections: number; controls: number };
  root: string;
  results: CheckResult[];
  summary: {
    pass: number;
    fail: number;
    not_applicable: number;
    error: number;
    /** passed / (passed + failed) × 100, one decimal; null when nothing passed or failed. */
    compliance_percent: number | null;
    compliance_basis: string;
  };
}
