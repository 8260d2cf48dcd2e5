import type { OsInfo } from '../../common/model.js';

/**
 * os-release(5): newline-separated shell-style assignments. Values may be unquoted,
 * double-quoted (with `\$ \" \\ \`` escapes) or single-quoted. Lines that are not
 * assignments are ignored, as systemd does.
 */
export function parseOsReleaseText(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (!m) continue;
    out[m[1]!] = unquote(m[2]!);
  }
  return out;
}

function unquote(v: string): string {
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) return v.slice(1, -1).replace(/\\([$"\\`])/g, '$1');
  if (v.length >= 2 && v.startsWith("'") && v.endsWith("'")) return v.slice(1, -1);
  return v;
}

const ID_RE = /^[a-z0-9._-]{1,64}$/;

/** Build OsInfo from parsed fields, or explain why the file cannot identify an OS. */
export function osInfoFromFields(f: Record<string, string>): OsInfo | string {
  const id = f.ID?.toLowerCase();
  if (!id) return 'no ID= field';
  if (!ID_RE.test(id)) return `ID= is not a valid os-release identifier: ${JSON.stringify(id.slice(0, 80))}`;
  const versionId = f.VERSION_ID && /^[A-Za-z0-9._~-]{1,64}$/.test(f.VERSION_ID) ? f.VERSION_ID : undefined;
  const info: OsInfo = { id, distro: versionId ? `${id}-${versionId}` : id };
  if (versionId) info.versionId = versionId;
  if (f.VERSION_CODENAME && ID_RE.test(f.VERSION_CODENAME)) info.versionCodename = f.VERSION_CODENAME;
  else if (id === 'ubuntu' && f.UBUNTU_CODENAME && ID_RE.test(f.UBUNTU_CODENAME)) info.versionCodename = f.UBUNTU_CODENAME;
  else if (!info.versionCodename && f.VERSION) {
    // Older Debian releases carry the codename only inside VERSION="9 (stretch)".
    const m = /\(([a-z]+)\)/.exec(f.VERSION);
    if (m) info.versionCodename = m[1]!;
  }
  if (f.PRETTY_NAME) info.prettyName = f.PRETTY_NAME.slice(0, 256);
  if (f.NAME) info.name = f.NAME.slice(0, 256);
  if (f.ID_LIKE) info.idLike = f.ID_LIKE.split(/\s+/).filter((s) => ID_RE.test(s));
  return info;
}
