import { writeFileAtomic } from '../../common/atomic-write.js';
import { VigilError } from '../../common/errors.js';
import { instantOf, type SuppressionRule } from '../../matcher/suppression.js';
import { parseVex } from '../../matcher/vex.js';
import { parseDuration } from '../../server/tokens.js';
import { apiCall, apiList, apiTarget } from '../api-client.js';
import { parse } from '../args.js';
import { table } from '../output.js';
import { checkReportOutput } from '../report-output.js';
import { readInputFile } from '../scan-suppress.js';

export const RULES_USAGE = `usage: vigil rules list [--json]
       vigil rules add --vulnerability ID... [--purl PURL]... [--host ID]... [--tag KEY=VALUE]...
                       [--severity SEV[,SEV]] [--fix fixed|unfixed]
                       --reason accepted_risk|false_positive|not_affected|mitigated
                       [--justification J] [--statement TEXT] [--expires DATE|90d] [--id ID] [--json]
       vigil rules remove ID [--json]
       vigil rules import-vex FILE [--json]
       vigil rules export-vex [--host ID] [--tag KEY=VALUE] [-o FILE]

The server's suppression rules: .vigilignore rules (schemas/vigilignore.schema.json)
kept in the fleet database and applied to every fleet host. A finding a rule covers
is SUPPRESSED at once: it keeps its episodes and leaves the active counts. It is
ACTIVE again when the rule expires, is removed or stops matching.
list        every rule, oldest first, with what it matches and until when.
add         a rule matching a finding when every criterion given holds; a repeated
            flag matches any of its values. --vulnerability matches the id or any
            alias; --purl a package URL (without a version every version, * any run
            of characters in the namespace or name); --host and --tag fleet hosts;
            --severity and --fix (a fix exists or not) narrow it further.
            --reason not_affected needs --justification: component_not_present,
            vulnerable_code_not_present, vulnerable_code_not_in_execute_path,
            vulnerable_code_cannot_be_controlled_by_adversary or
            inline_mitigations_already_exist. --expires is an RFC 3339 date or
            date-time, or a duration from now (12h, 90d). The author is the name of
            the API token. Needs an operator token.
remove      removes the rule with this id: what it covered becomes ACTIVE again.
import-vex  an OpenVEX 0.2.0 or CycloneDX VEX document (JSON, at most 1 MiB): each
            not_affected or fixed statement becomes a rule; statements the server
            cannot use are printed as warnings.
export-vex  what is decided, as an OpenVEX 0.2.0 document: one statement per
            vulnerability, package version and rule covering a suppressed finding
            (not_affected and false_positive as not_affected, fixed as fixed,
            accepted_risk and mitigated as affected with the decision as the action
            statement), naming who decided it and the hosts it holds on. To stdout,
            or -o FILE (an existing file only if it is such a document or empty).
            Exit 3 when nothing in scope is decided.
Exit 4 when the server refuses a rule or the document (one line naming the flag
or the JSON pointer), 10 for a viewer token. API and token as for "vigil hosts".`;

/** The API's request body limit: a larger document is refused before it is sent. */
const MAX_API_BODY = 1024 * 1024;

const COMMON = { api: { type: 'string' }, 'token-file': { type: 'string' }, json: { type: 'boolean' } } as const;

export async function rulesCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'list':
      return list(rest);
    case 'add':
      return add(rest);
    case 'remove': {
      const { values, positionals } = parse(rest, COMMON, 1);
      const id = positionals[0];
      if (!id) throw new VigilError('USAGE', 'rules remove needs a rule ID');
      const r = await apiCall<SuppressionRule>(apiTarget({ api: values.api, tokenFile: values['token-file'] }), 'DELETE', `rules/${encodeURIComponent(id)}`);
      process.stdout.write(values.json ? JSON.stringify(r, null, 2) + '\n' : `rule ${r.id} removed: what it covered is active again\n`);
      return 0;
    }
    case 'import-vex':
      return importVex(rest);
    case 'export-vex':
      return exportVex(rest);
    default:
      throw new VigilError('USAGE', `unknown rules subcommand ${JSON.stringify(sub ?? '')}; use list, add, remove, import-vex or export-vex`);
  }
}

/** The terminal's width for tables, when stdout is one. */
export function terminalWidth(): number | undefined {
  return process.stdout.isTTY === true && process.stdout.columns ? process.stdout.columns : undefined;
}

function matchText(m: SuppressionRule['match']): string {
  return Object.entries(m)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`)
    .join(' ');
}

async function list(argv: string[]): Promise<number> {
  const { values } = parse(argv, COMMON, 0);
  const rules = await apiList<SuppressionRule>(apiTarget({ api: values.api, tokenFile: values['token-file'] }), 'rules', 'rules');
  if (values.json) process.stdout.write(JSON.stringify(rules, null, 2) + '\n');
  else if (rules.length === 0) process.stdout.write('no suppression rules\n');
  else {
    const now = Date.now();
    const rows = rules.map((r) => [
      r.id,
      r.justification ? `${r.reason} (${r.justification})` : r.reason,
      matchText(r.match),
      r.expires ? `${r.expires}${instantOf(r.expires) <= now ? ' (expired)' : ''}` : '',
      r.author,
      r.created,
    ]);
    process.stdout.write(table(['ID', 'REASON', 'MATCH', 'EXPIRES', 'AUTHOR', 'CREATED'], rows, { maxWidth: terminalWidth() }));
  }
  return 0;
}

/** `--expires`: a duration from now (as RFC 3339, to the second) or a date the server checks. */
export function expiresAt(text: string, now: Date): string {
  if (!/^\d+[smhd]?$/.test(text.trim())) return text;
  return new Date(now.getTime() + parseDuration(text) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Where a server message about the rule's JSON points, as the flag that set it. */
const FLAGS: Array<[RegExp, string]> = [
  [/^\/match\/vulnerabilities(\/\d+)?$/, '--vulnerability'],
  [/^\/match\/purls(\/\d+)?$/, '--purl'],
  [/^\/match\/hosts(\/\d+)?$/, '--host'],
  [/^\/match\/tags(\/\d+)?$/, '--tag'],
  [/^\/match\/severities(\/\d+)?$/, '--severity'],
  [/^\/match\/fix$/, '--fix'],
  [/^\/match$/, "the rule's match"],
  [/^\/(reason|justification|statement|expires|id)$/, '--$1'],
];

/**
 * The server checks a rule as a .vigilignore rule and names the JSON pointer of what
 * is wrong (`rule:1:40: /rules/0/reason must be …`); the user gave flags, so the
 * line names the flag instead. A message of another shape is kept as it is.
 */
export function ruleProblem(detail: string): string {
  const m = /^rule:\d+:\d+: \/rules\/0(\S*) (.*)$/s.exec(detail);
  if (!m) return detail;
  const [, pointer, message] = m as unknown as [string, string, string];
  if (pointer === '') return `the rule ${message.replace(/needs "(\w+)"/, 'needs --$1')}`;
  for (const [re, flag] of FLAGS) if (re.test(pointer)) return `${pointer.replace(re, flag)} ${message}`;
  return `${pointer} ${message}`;
}

async function add(argv: string[]): Promise<number> {
  const many = { type: 'string', multiple: true } as const;
  const { values } = parse(
    argv,
    {
      ...COMMON,
      vulnerability: many,
      purl: many,
      host: many,
      tag: many,
      severity: { type: 'string' },
      fix: { type: 'string' },
      reason: { type: 'string' },
      justification: { type: 'string' },
      statement: { type: 'string' },
      expires: { type: 'string' },
      id: { type: 'string' },
    },
    0,
  );
  if (!values.vulnerability?.length) throw new VigilError('USAGE', 'rules add needs --vulnerability ID (repeat it for several)');
  if (values.reason === undefined) throw new VigilError('USAGE', 'rules add needs --reason accepted_risk|false_positive|not_affected|mitigated');
  const match: Record<string, unknown> = { vulnerabilities: values.vulnerability };
  if (values.purl?.length) match.purls = values.purl;
  if (values.host?.length) match.hosts = values.host;
  if (values.tag?.length) match.tags = values.tag;
  if (values.severity !== undefined) match.severities = values.severity.split(',').map((s) => s.trim().toLowerCase());
  if (values.fix !== undefined) match.fix = values.fix;
  const body: Record<string, unknown> = { match, reason: values.reason };
  for (const key of ['justification', 'statement', 'id'] as const) if (values[key] !== undefined) body[key] = values[key];
  if (values.expires !== undefined) body.expires = expiresAt(values.expires, new Date());
  const t = apiTarget({ api: values.api, tokenFile: values['token-file'] });
  let r: SuppressionRule;
  try {
    r = await apiCall<SuppressionRule>(t, 'POST', 'rules', {}, body);
  } catch (err) {
    if (err instanceof VigilError && err.code === 'INVALID_INPUT') throw new VigilError('INVALID_INPUT', ruleProblem(err.message));
    throw err;
  }
  if (values.json) process.stdout.write(JSON.stringify(r, null, 2) + '\n');
  else process.stdout.write(`rule ${r.id} added: ${r.reason}, ${matchText(r.match)}${r.expires ? `, until ${r.expires}` : ''}\n`);
  return 0;
}

async function importVex(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, COMMON, 1);
  const file = positionals[0];
  if (!file) throw new VigilError('USAGE', 'rules import-vex needs a VEX document FILE');
  const text = readInputFile(file, 'VEX document', MAX_API_BODY);
  // The server reads it with the same parser; reading it here first names the file, line and column.
  parseVex(text, file);
  const named = (s: string): string => (s.startsWith('request body#') ? file + s.slice('request body'.length) : s);
  let r: { rules: SuppressionRule[]; warnings: string[] };
  try {
    r = await apiCall(apiTarget({ api: values.api, tokenFile: values['token-file'] }), 'POST', 'vex', {}, JSON.parse(text));
  } catch (err) {
    if (err instanceof VigilError && err.code === 'INVALID_INPUT') throw new VigilError('INVALID_INPUT', named(err.message));
    throw err;
  }
  if (values.json) process.stdout.write(JSON.stringify(r, null, 2) + '\n');
  else process.stdout.write(`${r.rules.length} rule(s) imported from ${file}${r.rules.length ? `: ${r.rules.map((x) => x.id).join(', ')}` : ''}\n`);
  for (const w of r.warnings) process.stderr.write(`warning: ${named(w)}\n`);
  return 0;
}

/** How a document `export-vex` wrote begins; such a file may be replaced. */
const isVigilVex = (head: string): boolean => head.startsWith('{\n  "@context": "https://openvex.dev/ns/v0.2.0"') && head.includes('"author": "Vigil server');

async function exportVex(argv: string[]): Promise<number> {
  const { values } = parse(argv, { ...COMMON, host: { type: 'string' }, tag: { type: 'string' }, output: { type: 'string', short: 'o' } }, 0);
  const doc = await apiCall<Record<string, unknown>>(apiTarget({ api: values.api, tokenFile: values['token-file'] }), 'GET', 'vex', { host: values.host, tag: values.tag });
  const text = JSON.stringify(doc, null, 2) + '\n';
  if (values.output === undefined) {
    process.stdout.write(text);
    return 0;
  }
  await checkReportOutput(values.output, isVigilVex);
  await writeFileAtomic(values.output, text);
  const n = Array.isArray(doc.statements) ? doc.statements.length : 0;
  process.stderr.write(`${n} statement(s) written to ${values.output}\n`);
  return 0;
}
