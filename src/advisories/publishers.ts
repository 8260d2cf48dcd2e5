/** The database that publishes records with this id prefix, as the rating's and CVSS vector's publisher. */
const DATABASES: ReadonlyArray<[RegExp, string]> = [
  [/^GHSA-/, 'GitHub'],
  [/^PYSEC-/, 'PyPA'],
  [/^GO-/, 'Go'],
  [/^RUSTSEC-/, 'RustSec'],
  [/^(ALSA|ALBA|ALEA)-/, 'AlmaLinux'],
  [/^(RLSA|RLBA|RLEA|RXSA)-/, 'Rocky Linux'],
  [/^(RHSA|RHBA|RHEA)-/, 'Red Hat'],
  [/^(USN|UBUNTU|LSN)-/, 'Ubuntu'],
  [/^(DSA|DLA|DTSA|DEBIAN)-/, 'Debian'],
  [/^MAL-/, 'OpenSSF'],
];

export function databaseOf(id: string): string | undefined {
  for (const [re, name] of DATABASES) if (re.test(id)) return name;
  return undefined;
}
