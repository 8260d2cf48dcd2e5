/**
 * Installed gems' specifications (`<gem home>/specifications/<name>-<version>.gemspec`),
 * the Ruby files RubyGems writes at install time (`Gem::Specification#to_ruby`). They are
 * never evaluated: RubyGems itself lists installed gems from the stub line these files
 * begin with (`# stub: name version platform require_paths`, the second line), and the
 * body is read only for what the stub lacks (licences) or for files without one, as
 * plain `spec.field = "literal"` assignments of the `Gem::Specification.new` block.
 */

/** RubyGems' name rule (`Gem::Specification::VALID_NAME_PATTERN`, at least one letter), bounded. */
const GEM_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,199}$/;
/** `Gem::Version`'s pattern, without the surrounding spaces RubyGems strips. */
const GEM_VERSION = /^[0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;
const PLATFORM = /^[A-Za-z0-9_.-]{1,64}$/;
const MAX_VERSION = 128;
const STUB = '# stub: ';

export function isGemName(name: string): boolean {
  return GEM_NAME.test(name) && /[A-Za-z]/.test(name);
}

export function isGemVersion(version: string): boolean {
  return version.length <= MAX_VERSION && GEM_VERSION.test(version);
}

export function isGemPlatform(platform: string): boolean {
  return PLATFORM.test(platform);
}

export function shown(s: string): string {
  return JSON.stringify(s.length > 120 ? `${s.slice(0, 120)}...` : s);
}

export interface Gemspec {
  name?: string;
  version?: string;
  /** `ruby` for a pure-Ruby gem. */
  platform?: string;
  licenses: string[];
  /** The name, version and platform came from the stub line. */
  stub: boolean;
}

/** The value of a Ruby literal as `to_ruby` writes it: `"x".freeze`, `'x'`, `%q{x}`, or an array of those. */
function literal(src: string): string | string[] | undefined {
  const s = src.trim().replace(/\s+#.*$/, '');
  if (s.startsWith('[')) {
    if (!s.endsWith(']')) return undefined;
    const items: string[] = [];
    const re = /\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|%q\{[^}]*\}|%q<[^>]*>)(?:\.freeze)?\s*(,|$)/y;
    const inner = s.slice(1, -1).trim();
    let m: RegExpExecArray | null;
    while (re.lastIndex < inner.length && (m = re.exec(inner))) items.push(unquote(m[1]!));
    return re.lastIndex >= inner.length || inner === '' ? items : undefined;
  }
  const m = /^("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|%q\{[^}]*\}|%q<[^>]*>)(?:\.freeze)?$/.exec(s);
  return m ? unquote(m[1]!) : undefined;
}

function unquote(q: string): string {
  if (q.startsWith('%q')) return q.slice(3, -1);
  const body = q.slice(1, -1);
  if (q.startsWith("'")) return body.replace(/\\([\\'])/g, '$1');
  return body.replace(/\\(u\{[0-9a-fA-F]{1,6}\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/g, (_, e: string) => {
    if (e.startsWith('u{')) return String.fromCodePoint(parseInt(e.slice(2, -1), 16));
    if (e.length === 5 && e[0] === 'u') return String.fromCharCode(parseInt(e.slice(1), 16));
    if (e.length === 3 && e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    return ({ n: '\n', t: '\t', r: '\r', e: '\u001b', s: ' ', '0': '\0' } as Record<string, string>)[e] ?? e;
  });
}

/** Pure: text of a `.gemspec` → what it says. Nothing is checked here but the syntax. */
export function parseGemspec(text: string): Gemspec {
  const out: Gemspec = { licenses: [], stub: false };
  const lines = text.split('\n');
  // RubyGems reads the stub from the second line, whatever the first holds.
  const stub = lines[1]?.replace(/\r$/, '');
  if (stub?.startsWith(STUB)) {
    const [name, version, platform] = stub.slice(STUB.length).split(' ', 3);
    if (name) out.name = name;
    if (version) out.version = version;
    if (platform) out.platform = platform;
    out.stub = true;
  }
  const block = /Gem::Specification\.new\s*(?:do|\{)\s*\|\s*([a-z_][A-Za-z0-9_]*)\s*\|/.exec(text);
  if (!block) return out;
  const field = new RegExp(`^\\s*${block[1]}\\.(name|version|platform|license|licenses)\\s*=\\s*(.+?)\\s*$`);
  for (const line of text.slice(block.index + block[0].length).split('\n')) {
    const m = field.exec(line.replace(/\r$/, '').replace(/\s+if\s+\w+\.respond_to\?.*$/, ''));
    if (!m) continue;
    const value = literal(m[2]!);
    if (value === undefined) continue;
    const key = m[1]!;
    if (key === 'license' || key === 'licenses') {
      out.licenses = (Array.isArray(value) ? value : [value]).filter((l) => l !== '');
    } else if (!out.stub && typeof value === 'string') {
      out[key as 'name' | 'version' | 'platform'] = value;
    }
  }
  return out;
}
