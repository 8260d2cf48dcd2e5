import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runReference, type Pair } from '../versions/vectors.js';
import { CACHE_DIR } from './fixtures.js';

/**
 * Maven's own ordering as the reference for Vigil's Maven scheme: the ComparableVersion
 * of Debian's libmaven3-core-java (Maven 3.8.7), never Vigil's code, so a scheme bug
 * cannot hide in both the answer and the expectation.
 */

export const MAVEN_JAR = '/usr/share/java/maven3-artifact.jar';
export const hasJava = existsSync(MAVEN_JAR) && spawnSync('javac', ['-version'], { stdio: 'ignore' }).status === 0;

/** Reads `a<TAB>b` lines and prints the sign of ComparableVersion(a).compareTo(b), after Maven's own version. */
const JAVA_SOURCE = `
import java.io.*;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.maven.artifact.versioning.ComparableVersion;

public class MavenCompare {
  public static void main(String[] args) throws IOException {
    Properties pom = new Properties();
    pom.load(ComparableVersion.class.getResourceAsStream("/META-INF/maven/org.apache.maven/maven-artifact/pom.properties"));
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8)));
    out.println(pom.getProperty("version"));
    for (String line; (line = in.readLine()) != null; ) {
      int tab = line.indexOf('\\t');
      ComparableVersion a = new ComparableVersion(line.substring(0, tab));
      out.println(Integer.signum(a.compareTo(new ComparableVersion(line.substring(tab + 1)))));
    }
    out.flush();
  }
}
`;

/**
 * Compiled once per source text under the test cache, so parallel test files share one
 * class; a temporary directory renamed into place keeps a half-written one out of sight.
 */
function compiledComparer(): string {
  const dir = path.join(CACHE_DIR, 'maven-cmp', createHash('sha256').update(JAVA_SOURCE).digest('hex').slice(0, 16));
  if (existsSync(path.join(dir, 'MavenCompare.class'))) return dir;
  mkdirSync(path.dirname(dir), { recursive: true });
  const tmp = mkdtempSync(`${dir}.tmp-`);
  writeFileSync(path.join(tmp, 'MavenCompare.java'), JAVA_SOURCE);
  execFileSync('javac', ['-cp', MAVEN_JAR, '-d', tmp, path.join(tmp, 'MavenCompare.java')], { stdio: 'pipe' });
  try {
    renameSync(tmp, dir);
  } catch {
    rmSync(tmp, { recursive: true, force: true }); // another run put it there first
  }
  return dir;
}

/** Maven's version and the sign of its comparison for each pair, from one JVM run. */
export function mavenCompare(pairs: readonly Pair[]): { version: string; signs: number[] } {
  const [version, ...signs] = runReference(['java', '-cp', `${compiledComparer()}:${MAVEN_JAR}`, 'MavenCompare'], pairs);
  return { version: version!, signs: signs.map(Number) };
}

/** A comparator answering from one batch run of Maven over every pair asked for up front. */
export function mavenComparator(pairs: [string, string][]): { version: string; cmp: (a: string, b: string) => number } {
  const uniq = [...new Map(pairs.map((p) => [`${p[0]}\t${p[1]}`, p])).values()];
  const { version, signs } = mavenCompare(uniq);
  const table = new Map(uniq.map(([a, b], i) => [`${a}\t${b}`, Number(signs[i])]));
  return {
    version,
    cmp: (a, b) => {
      const s = table.get(`${a}\t${b}`);
      if (s === undefined) throw new Error(`Maven was not asked about ${a} vs ${b}`);
      return s;
    },
  };
}
