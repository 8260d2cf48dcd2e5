/**
 * What stops a package manager from upgrading a package, read from its own files, so
 * remediation can say so instead of printing a command that silently does nothing:
 * apt preferences (apt_preferences(5)) and apk's world constraints (apk-world(5)).
 * dpkg's own hold is the selection word of the status file (see dpkg.ts).
 */

export interface AptPin {
  /** The file and stanza it came from, for the message. */
  file: string;
  /** Package names and patterns (`*` globs; `/regex/` forms are kept as written). */
  packages: string[];
  pin: string;
  priority: number;
}

/**
 * Stanzas of an apt preferences file: blank-line separated, `Package:`, `Pin:` and
 * `Pin-Priority:` fields, `Explanation:` and `#` lines ignored. A stanza without all
 * three fields is skipped, as apt skips it.
 */
export function parseAptPreferences(text: string, file: string): AptPin[] {
  const out: AptPin[] = [];
  for (const stanza of text.replace(/\r\n/g, '\n').split(/\n[ \t]*\n/)) {
    const fields = new Map<string, string>();
    let last: string | undefined;
    for (const line of stanza.split('\n')) {
      if (line.startsWith('#') || line.trim() === '') continue;
      if (/^[ \t]/.test(line) && last) {
        fields.set(last, `${fields.get(last)} ${line.trim()}`);
        continue;
      }
      const m = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
      if (!m) continue;
      last = m[1]!.toLowerCase();
      fields.set(last, m[2]!.trim());
    }
    const pkgs = fields.get('package');
    const pin = fields.get('pin');
    const prio = Number(fields.get('pin-priority'));
    if (!pkgs || !pin || !Number.isInteger(prio)) continue;
    out.push({ file, packages: pkgs.split(/\s+/).filter(Boolean), pin, priority: prio });
  }
  return out;
}

/** Whether a pin's package list names `name`: exact, a `*` glob, or apt's `/regex/`. */
export function pinNames(pin: AptPin, name: string): boolean {
  return pin.packages.some((p) => {
    if (p === name) return true;
    if (p.length > 2 && p.startsWith('/') && p.endsWith('/')) {
      try {
        return new RegExp(p.slice(1, -1)).test(name);
      } catch {
        return false;
      }
    }
    if (p.includes('*') || p.includes('?')) {
      const re = new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
      return re.test(name);
    }
    return false;
  });
}

/** The pin in words, for a remediation note. */
export function describeAptPin(p: AptPin): string {
  return `${p.file}: Pin: ${p.pin}, Pin-Priority: ${p.priority}`;
}

/**
 * apk's world file: one dependency per line or space-separated, `name`, `name@tag`,
 * or with a version constraint (`name=1.2-r0`, `name<2`, `name~1.2`, `name>=1`).
 * Returns the constrained ones: name → constraint as written.
 */
export function parseApkWorld(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const dep of text.split(/\s+/)) {
    if (!dep || dep.startsWith('!')) continue;
    const m = /^([^=<>~@\s]+)(?:@[^=<>~\s]+)?([=<>~].*)$/.exec(dep);
    if (m) out.set(m[1]!, dep);
  }
  return out;
}
