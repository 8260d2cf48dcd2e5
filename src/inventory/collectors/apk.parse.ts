/**
 * apk's installed database (`lib/apk/db/installed`): blank-line separated records
 * of `X:value` lines with single-letter keys. Owned files appear as `F:` (directory)
 * followed by `R:` (file in that directory) lines.
 */

export interface ApkRecord {
  name: string;
  version: string;
  arch?: string;
  origin?: string;
  license?: string;
  maintainer?: string;
  depends: string[];
  provides: string[];
  files: string[];
  line: number;
}

export interface ApkParseResult {
  records: ApkRecord[];
  errors: Array<{ line: number; message: string }>;
  total: number;
}

const APK_NAME_RE = /^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/;
const APK_VERSION_RE = /^[0-9][A-Za-z0-9._+~-]*$/;
const LINE_MAX = 64 * 1024;

interface Draft {
  P?: string;
  V?: string;
  A?: string;
  o?: string;
  L?: string;
  m?: string;
  D?: string;
  p?: string;
  files: string[];
  dir: string;
  line: number;
  bad?: string;
}

export function parseApkInstalled(text: string): ApkParseResult {
  const records: ApkRecord[] = [];
  const errors: ApkParseResult['errors'] = [];
  let total = 0;
  let cur: Draft | undefined;
  const finish = () => {
    if (!cur) return;
    total++;
    const d = cur;
    cur = undefined;
    if (d.bad) return void errors.push({ line: d.line, message: d.bad });
    if (!d.P) return void errors.push({ line: d.line, message: `line ${d.line}: record without a package name (P:)` });
    if (!APK_NAME_RE.test(d.P) || d.P.length > 256)
      return void errors.push({ line: d.line, message: `line ${d.line}: invalid package name ${JSON.stringify(d.P.slice(0, 80))}` });
    if (!d.V) return void errors.push({ line: d.line, message: `line ${d.line}: package ${d.P} has no version (V:)` });
    if (!APK_VERSION_RE.test(d.V) || d.V.length > 256)
      return void errors.push({ line: d.line, message: `line ${d.line}: package ${d.P} has an invalid version ${JSON.stringify(d.V.slice(0, 80))}` });
    const rec: ApkRecord = {
      name: d.P,
      version: d.V,
      depends: d.D ? d.D.split(/\s+/).filter(Boolean) : [],
      provides: d.p ? d.p.split(/\s+/).filter(Boolean) : [],
      files: d.files,
      line: d.line,
    };
    if (d.A) rec.arch = d.A;
    if (d.o && APK_NAME_RE.test(d.o)) rec.origin = d.o;
    if (d.L) rec.license = d.L;
    if (d.m) rec.maintainer = d.m;
    records.push(rec);
  };
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (line.trim() === '') {
      finish();
      continue;
    }
    cur ??= { files: [], dir: '', line: i + 1 };
    if (line.includes('\0')) {
      cur.bad ??= `line ${i + 1}: binary data`;
      continue;
    }
    if (line.length > LINE_MAX) {
      cur.bad ??= `line ${i + 1}: longer than ${LINE_MAX} bytes`;
      continue;
    }
    if (line.length < 2 || line[1] !== ':') {
      cur.bad ??= `line ${i + 1}: not a "X:value" line: ${JSON.stringify(line.slice(0, 40))}`;
      continue;
    }
    const key = line[0]!;
    const value = line.slice(2);
    switch (key) {
      case 'F':
        cur.dir = value;
        break;
      case 'R':
        if (!value.includes('/') && value !== '..' && value !== '.') cur.files.push('/' + (cur.dir ? `${cur.dir}/${value}` : value));
        break;
      case 'P':
      case 'V':
      case 'A':
      case 'o':
      case 'L':
      case 'm':
      case 'D':
      case 'p':
        (cur as unknown as Record<string, string>)[key] = value;
        break;
      default:
        break;
    }
  }
  finish();
  return { records, errors, total };
}
