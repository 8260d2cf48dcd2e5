import type { Component } from '../common/model.js';

/**
 * The exact command that installs the fix with the component's own package
 * manager. Names come from package databases, so each is quoted for a POSIX shell
 * when shown; Vigil itself never runs these through a shell.
 */
function q(s: string): string {
  return /^[A-Za-z0-9._+:@/=~^-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function remediation(c: Component, fixed: string | undefined): string | undefined {
  switch (c.ecosystem) {
    case 'deb':
      // The fixed version is the source package's; the binary's own may carry a +bN suffix.
      return `apt-get install --only-upgrade ${q(c.name)}`;
    case 'rpm':
      return fixed ? `dnf upgrade ${q(`${c.name}-${fixed.replace(/^\d+:/, '')}`)}` : `dnf upgrade ${q(c.name)}`;
    case 'apk':
      return `apk add --upgrade ${q(c.name)}`;
    case 'npm':
      return fixed ? `npm install ${q(`${c.name}@${fixed}`)}` : undefined;
    case 'pypi':
      return fixed ? `pip install ${q(`${c.name}>=${fixed}`)}` : undefined;
    case 'maven':
      return fixed ? `upgrade ${c.namespace}:${c.name} to ${fixed} in the build (pom.xml or build.gradle)` : undefined;
    case 'golang':
      return fixed ? (c.name === 'stdlib' ? `rebuild with Go ${fixed}` : `go get ${q(`${c.name}@v${fixed.replace(/^v/, '')}`)}`) : undefined;
    default:
      return undefined;
  }
}
