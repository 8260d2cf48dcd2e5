import { createHash } from 'node:crypto';

/**
 * The pieces every HTML report is made of: escaping that cannot be forgotten (the
 * `html` tag escapes every value put into it; only what another `html` call made
 * passes unescaped), the inline style and sorting script, and a Content-Security-Policy
 * that lets exactly those two run: the page loads nothing, and markup that slipped in
 * anyway could neither run script nor fetch anything.
 */

export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

type Value = string | number | boolean | undefined | null | Html | ReadonlyArray<Html>;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for an element or a double-quoted attribute value. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

function piece(v: Value): string {
  if (v === undefined || v === null) return '';
  if (v instanceof Html) return v.text;
  if (Array.isArray(v)) return v.map((x: Html) => x.text).join('');
  return escapeHtml(String(v as string | number | boolean));
}

/** A template whose every interpolated value is escaped unless it is already Html. */
export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += piece(values[i]) + strings[i + 1]!;
  return new Html(out);
}

export const STYLE = `
:root { color-scheme: light; --line: #d0d4da; --muted: #5b6470; }
body { font: 13px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px; color: #16181d; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 24px 0 8px; }
p.meta, .src, small { color: var(--muted); } small { display: block; font-size: 11px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; }
th, td { border: 1px solid var(--line); padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #eef1f5; } td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
table.sortable th { cursor: pointer; user-select: none; }
th[aria-sort="ascending"]::after { content: " \\25B2"; } th[aria-sort="descending"]::after { content: " \\25BC"; }
.sev-critical { background: #7f1d1d; color: #fff; } .sev-high { background: #dc2626; color: #fff; }
.sev-medium { background: #f59e0b; } .sev-low { background: #bfdbfe; } .sev-negligible, .sev-unknown { background: #e5e7eb; }
span.sev { padding: 0 4px; border-radius: 3px; font-weight: 600; }
code { font: 11px ui-monospace, monospace; word-break: break-all; }
ul.problems { color: #991b1b; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { margin: 0; font-size: 10px; } .screen-only { display: none; }
  thead { display: table-header-group; } tr, .keep { break-inside: avoid; page-break-inside: avoid; }
  h2 { break-after: avoid; page-break-after: avoid; } section.findings { break-before: page; page-break-before: always; }
  th { background: #eef1f5 !important; } .sev { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;

/** Sorts a table.sortable by the clicked header (again: the other way); numbers by their data-sort value. */
export const SCRIPT = `
(function () {
  var tables = document.querySelectorAll('table.sortable');
  Array.prototype.forEach.call(tables, function (table) {
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, col) {
      th.tabIndex = 0;
      function sort() {
        var up = th.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', up ? 'ascending' : 'descending');
        var numeric = th.classList.contains('n');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        function key(row) {
          var cell = row.cells[col];
          var v = cell.hasAttribute('data-sort') ? cell.getAttribute('data-sort') : cell.textContent;
          return numeric ? (v === '' ? -1 : parseFloat(v)) : v.toLowerCase();
        }
        rows.sort(function (a, b) {
          var x = key(a), y = key(b);
          var c = numeric ? x - y : x < y ? -1 : x > y ? 1 : 0;
          return up ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      }
      th.addEventListener('click', sort);
      th.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sort(); } });
    });
  });
})();
`;

const hash = (s: string): string => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;

/** Nothing may load; only the page's own style and script (by their SHA-256) may apply and run. */
export const CSP = `default-src 'none'; style-src ${hash(STYLE)}; script-src ${hash(SCRIPT)}; img-src 'none'; base-uri 'none'; form-action 'none'`;

/** The whole page: generator marker first, so a later `-o` knows the file is Vigil's. */
export function page(title: string, body: Html, version: string): string {
  return (
    html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="generator" content="vigil report ${version}">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${new Html(STYLE)}</style>
</head>
<body>
${body}
<script>${new Html(SCRIPT)}</script>
</body>
</html>
`.text
  );
}

/** Whether `head` begins a page `page` wrote. */
export const HTML_REPORT = /^<!DOCTYPE html>\s*<html lang="en">\s*<head>\s*<meta charset="utf-8">\s*<meta name="generator" content="vigil report /;
