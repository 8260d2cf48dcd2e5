import type { OsInfo, Problem } from '../../common/model.js';
import { problem, problemFrom } from '../problems.js';
import { readTextInRoot } from '../rootfs.js';
import { osInfoFromFields, parseOsReleaseText } from './os-release.parse.js';

/** `/etc/os-release` wins over `/usr/lib/os-release`, as os-release(5) specifies. */
export const OS_RELEASE_PATHS = ['/etc/os-release', '/usr/lib/os-release'] as const;

const MAX_BYTES = 64 * 1024;

export interface OsReleaseResult {
  os?: OsInfo;
  path?: string;
  problems: Problem[];
}

export async function readOsRelease(root: string): Promise<OsReleaseResult> {
  const problems: Problem[] = [];
  for (const path of OS_RELEASE_PATHS) {
    let text: string | undefined;
    try {
      text = await readTextInRoot(root, path, { maxBytes: MAX_BYTES });
    } catch (err) {
      problems.push(problemFrom('os-release', path, err));
      continue;
    }
    if (text === undefined) continue;
    if (text.includes('\0')) {
      problems.push(problem('os-release', path, 'corrupt', 'binary data in os-release'));
      continue;
    }
    const info = osInfoFromFields(parseOsReleaseText(text));
    if (typeof info === 'string') {
      problems.push(problem('os-release', path, 'malformed-record', info));
      continue;
    }
    return { os: info, path, problems };
  }
  return { problems };
}
