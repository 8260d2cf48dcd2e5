import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * How one of the units in systemd/ runs node, so that benchmarks and tests start a
 * daemon as it is deployed rather than as a bare `node`: the unit's NODE_OPTIONS,
 * and, when it sets MemoryDenyWriteExecute=yes, the same rule applied to the process
 * before it starts (prctl PR_SET_MDWE, which is what systemd uses on kernels that have
 * it). A flag that stops working under that rule fails here, not first on a host.
 */
export interface UnitRuntime {
  /** Program to run, then these arguments, then node's script and its arguments. */
  command: string;
  prefix: string[];
  env: Record<string, string>;
  /** What was applied, for reports. */
  describe: string;
}

// PR_SET_MDWE = 65, PR_MDWE_REFUSE_EXEC_GAIN = 1; then exec node with the rest of argv.
const MDWE_EXEC =
  'import ctypes,os,sys\n' +
  'libc=ctypes.CDLL(None,use_errno=True)\n' +
  'if libc.prctl(65,1,0,0,0)!=0: sys.exit("PR_SET_MDWE failed: errno %d" % ctypes.get_errno())\n' +
  'os.execv(sys.argv[1],sys.argv[1:])\n';

let mdweSupported: boolean | undefined;

/** True when this kernel has PR_SET_MDWE (Linux 6.3 and later) and python3 is here to apply it. */
export function canDenyWriteExecute(): boolean {
  if (mdweSupported === undefined) {
    const r = spawnSync('python3', ['-c', MDWE_EXEC, '/bin/true'], { stdio: 'ignore' });
    mdweSupported = r.status === 0;
  }
  return mdweSupported;
}

/** Reads `Environment=` and `MemoryDenyWriteExecute=` of systemd/<unit>. */
export function unitSettings(repo: string, unit: string): { env: Record<string, string>; denyWriteExecute: boolean } {
  const text = readFileSync(path.join(repo, 'systemd', unit), 'utf8');
  const env: Record<string, string> = {};
  let denyWriteExecute = false;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('Environment=')) {
      let value = line.slice('Environment='.length);
      if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
      const eq = value.indexOf('=');
      if (eq > 0) env[value.slice(0, eq)] = value.slice(eq + 1);
    } else if (/^MemoryDenyWriteExecute=(yes|true|on|1)$/.test(line)) {
      denyWriteExecute = true;
    }
  }
  return { env, denyWriteExecute };
}

export function unitRuntime(repo: string, unit: string, nodePath = process.execPath): UnitRuntime {
  const { env, denyWriteExecute } = unitSettings(repo, unit);
  const parts = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  if (denyWriteExecute && canDenyWriteExecute()) {
    return { command: 'python3', prefix: ['-c', MDWE_EXEC, nodePath], env, describe: [...parts, 'MemoryDenyWriteExecute=yes'].join(', ') };
  }
  return { command: nodePath, prefix: [], env, describe: parts.join(', ') || 'defaults' };
}
