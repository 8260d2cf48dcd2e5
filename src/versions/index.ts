import { VigilError } from '../common/errors.js';
import { apkScheme } from './apk.js';
import { composerScheme } from './composer.js';
import { dpkgScheme } from './dpkg.js';
import { gemScheme } from './gem.js';
import { goScheme } from './go.js';
import { mavenScheme } from './maven.js';
import { nugetScheme } from './nuget.js';
import { pacmanScheme } from './pacman.js';
import { pep440Scheme } from './pep440.js';
import { rpmScheme } from './rpm.js';
import type { VersionFormat, VersionScheme } from './scheme.js';
import { semverScheme } from './semver.js';

/** Every format has exactly one scheme; the Record type makes a new format fail to compile until it is registered here. */
export const SCHEMES: Record<VersionFormat, VersionScheme> = {
  dpkg: dpkgScheme,
  rpm: rpmScheme,
  apk: apkScheme,
  semver: semverScheme,
  pep440: pep440Scheme,
  maven: mavenScheme,
  go: goScheme,
  gem: gemScheme,
  nuget: nugetScheme,
  composer: composerScheme,
  pacman: pacmanScheme,
};

/** Every version format, in the order of SCHEMES. */
export const VERSION_FORMATS = Object.keys(SCHEMES) as readonly VersionFormat[];

export function isVersionFormat(format: string): format is VersionFormat {
  return (VERSION_FORMATS as readonly string[]).includes(format);
}

/** The scheme for a format named in data or configuration; an unknown name is an error, never a fallback scheme. */
export function schemeFor(format: string): VersionScheme {
  if (!isVersionFormat(format)) throw new VigilError('INVALID_INPUT', `unknown version format ${JSON.stringify(format)}; known formats: ${VERSION_FORMATS.join(', ')}`);
  return SCHEMES[format];
}
