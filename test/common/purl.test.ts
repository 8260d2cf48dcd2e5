import { describe, expect, it } from 'vitest';
import { formatPurl, parsePurl, purlEncode } from '../../src/common/purl.js';

describe('package urls', () => {
  it.each([
    [{ type: 'deb', namespace: 'debian', name: 'libc6', version: '2.36-9+deb12u4', qualifiers: { upstream: 'glibc', arch: 'amd64', distro: 'debian-12' } }, 'pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12&upstream=glibc'],
    [{ type: 'npm', namespace: '@babel', name: 'core', version: '7.0.0' }, 'pkg:npm/%40babel/core@7.0.0'],
    [{ type: 'pypi', name: 'Django_Rest.Framework', version: '3.14.0' }, 'pkg:pypi/django-rest-framework@3.14.0'],
    [{ type: 'maven', namespace: 'org.apache.logging.log4j', name: 'log4j-core', version: '2.14.1' }, 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1'],
    [{ type: 'golang', namespace: 'github.com/sirupsen', name: 'logrus', version: 'v1.9.3' }, 'pkg:golang/github.com/sirupsen/logrus@v1.9.3'],
    [{ type: 'rpm', namespace: 'almalinux', name: 'openssl', version: '3.0.7-27.el9', qualifiers: { epoch: '1', arch: 'x86_64', distro: '' } }, 'pkg:rpm/almalinux/openssl@3.0.7-27.el9?arch=x86_64&epoch=1'],
    [{ type: 'deb', namespace: 'debian', name: 'bsdutils', version: '1:2.38.1-5+deb12u3' }, 'pkg:deb/debian/bsdutils@1:2.38.1-5%2Bdeb12u3'],
    // The specification's examples of types Vigil's own ecosystems do not all use: its case rules are the spec's, not per ecosystem.
    [{ type: 'alpm', namespace: 'Arch', name: 'Pacman', version: '6.0.1-1', qualifiers: { arch: 'x86_64' } }, 'pkg:alpm/arch/pacman@6.0.1-1?arch=x86_64'],
    [{ type: 'github', namespace: 'Package-URL', name: 'Purl-Spec', version: '244fd47e07d1004f0aed9c' }, 'pkg:github/package-url/purl-spec@244fd47e07d1004f0aed9c'],
    [{ type: 'composer', namespace: 'Laravel', name: 'Laravel', version: '5.5.0' }, 'pkg:composer/laravel/laravel@5.5.0'],
    [{ type: 'cargo', name: 'Rand', version: '0.7.2' }, 'pkg:cargo/Rand@0.7.2'],
    [{ type: 'rpm', namespace: 'Fedora', name: 'NetworkManager', version: '1.46.0-1.fc40' }, 'pkg:rpm/fedora/NetworkManager@1.46.0-1.fc40'],
  ])('formats %o canonically', (parts, expected) => {
    expect(formatPurl(parts)).toBe(expected);
  });

  it('percent-encodes everything outside the unreserved set and the colon', () => {
    expect(purlEncode("a b/c?d#e@f+g!'()*é:~")).toBe('a%20b%2Fc%3Fd%23e%40f%2Bg%21%27%28%29%2A%C3%A9:~');
  });

  it('round-trips hostile names through parse', () => {
    const parts = { type: 'npm', name: 'evil; rm -rf /$(id)`x`\n', version: '1.0.0?#@', qualifiers: { a: 'x&y=z' } };
    const back = parsePurl(formatPurl(parts));
    expect(back).toEqual({ type: 'npm', name: parts.name, version: parts.version, qualifiers: parts.qualifiers });
  });

  it('rejects strings that are not purls', () => {
    expect(() => parsePurl('http://example.com')).toThrow(/not a purl/);
    expect(() => parsePurl('pkg:npm')).toThrow(/needs a type and a name/);
  });
});
