import type { Syntax } from '../model.js';

/**
 * Line syntaxes of the config files checks read: each turns one line into a key and
 * value (or a structural marker), so the file_key reader can apply each program's
 * own precedence (sshd keeps the first value, the others the last).
 */

export type LineItem =
  | { type: 'set'; key: string; value: string }
  | { type: 'section'; name: string }
  | { type: 'include'; pattern: string }
  | { type: 'match'; text: string }
  | { type: 'unsupported'; text: string };

const unquote = (v: string): string => {
  const t = v.trim();
  if (t.length >= 2 && (t[0] === '"' || t[0] === "'") && t.at(-1) === t[0]) return t.slice(1, -1);
  return t;
};

export function parseLine(syntax: Syntax, raw: string): LineItem | undefined {
  const line = raw.trim();
  if (line === '' || line.startsWith('#') || (syntax === 'systemd' && line.startsWith(';')) || (syntax === 'apt' && line.startsWith('//'))) return undefined;
  switch (syntax) {
    case 'sshd': {
      // sshd_config(5): keyword, then whitespace or one "=", then arguments; keywords are case-insensitive.
      const m = /^(\S+?)(?:\s*=\s*|\s+)(.*)$/.exec(line);
      if (!m) return { type: 'unsupported', text: line };
      const key = m[1]!.toLowerCase();
      if (key === 'include') return { type: 'include', pattern: m[2]!.trim() };
      if (key === 'match') return { type: 'match', text: line };
      return { type: 'set', key, value: unquote(m[2]!) };
    }
    case 'space': {
      const m = /^(\S+)\s+(.*)$/.exec(line);
      return m ? { type: 'set', key: m[1]!, value: unquote(m[2]!) } : { type: 'unsupported', text: line };
    }
    case 'shell': {
      const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
      return m ? { type: 'set', key: m[1]!, value: unquote(m[2]!.replace(/\s+#.*$/, '')) } : { type: 'unsupported', text: line };
    }
    case 'systemd': {
      const s = /^\[([^\]]+)\]$/.exec(line);
      if (s) return { type: 'section', name: s[1]! };
      const m = /^([A-Za-z0-9_.-]+)\s*=\s*(.*)$/.exec(line);
      return m ? { type: 'set', key: m[1]!, value: unquote(m[2]!) } : { type: 'unsupported', text: line };
    }
    case 'apt': {
      // Only the flat form `A::B::C "value";` (what apt.conf.d snippets use); nested braces are not read.
      const m = /^([A-Za-z0-9_:.-]+)\s+"([^"]*)"\s*;$/.exec(line);
      return m ? { type: 'set', key: m[1]!.toLowerCase(), value: m[2]! } : { type: 'unsupported', text: line };
    }
    case 'limits': {
      // limits.conf(5): <domain> <type> <item> <value>; the key is "domain type item".
      const f = line.split(/\s+/);
      if (f.length < 4) return { type: 'unsupported', text: line };
      return { type: 'set', key: `${f[0]} ${f[1]} ${f[2]}`, value: f.slice(3).join(' ') };
    }
  }
}

/** The key as the syntax compares it: sshd's and apt's keys are case-insensitive. */
export function normaliseKey(syntax: Syntax, key: string): string {
  if (syntax === 'sshd' || syntax === 'apt') return key.toLowerCase();
  if (syntax === 'limits') return key.trim().split(/\s+/).join(' ');
  return key;
}

/** sshd keeps the first value it reads for a keyword; the others let a later line override. */
export const FIRST_WINS: Record<Syntax, boolean> = { sshd: true, space: false, shell: false, systemd: false, apt: false, limits: false };
