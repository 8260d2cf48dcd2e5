import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultAgentConfig, loadAgentConfig } from '../../src/agent/config.js';
import { VigilError } from '../../src/common/errors.js';

const FP = 'ab'.repeat(32);

const FULL_YAML = `
server: vigil.example.com:8443
caFingerprint: ${FP.toUpperCase()}
stateDir: /srv/vigil/state
root: /host
appRoots: [/srv/app, /opt/tool]
skipDirs: [/data]
includeCaches: true
tags:
  environment: prod
  service: billing
  team: payments
  criticality: high
  rack: b12
schedule:
  refresh: '5 */4 * * *'
  heartbeatSeconds: 30
watch:
  enabled: false
  quietMs: 500
  maxWaitMs: 10000
ports:
  pollSeconds: 15
limits:
  maxMessageBytes: 1048576
reconnect:
  initialMs: 250
  maxMs: 30000
executor:
  socket: /run/vigil/exec.sock
  timeoutSeconds: 600
`;

const FULL = {
  server: 'vigil.example.com:8443',
  caFingerprint: FP,
  stateDir: '/srv/vigil/state',
  root: '/host',
  appRoots: ['/srv/app', '/opt/tool'],
  skipDirs: ['/data'],
  includeCaches: true,
  tags: { environment: 'prod', service: 'billing', team: 'payments', criticality: 'high', rack: 'b12' },
  schedule: { refresh: '5 */4 * * *', heartbeatSeconds: 30 },
  watch: { enabled: false, quietMs: 500, maxWaitMs: 10000 },
  ports: { pollSeconds: 15 },
  limits: { maxMessageBytes: 1048576 },
  reconnect: { initialMs: 250, maxMs: 30000 },
  executor: { socket: '/run/vigil/exec.sock', timeoutSeconds: 600 },
};

function configError(fn: () => unknown): VigilError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(VigilError);
    expect((err as VigilError).code).toBe('INVALID_INPUT');
    return err as VigilError;
  }
  throw new Error('expected an INVALID_INPUT error');
}

describe('loadAgentConfig', () => {
  let dir: string;
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'vigil-agent-config-'));
    // The host running the tests may set these; each test starts from a clean environment.
    for (const name of ['VIGIL_AGENT_CONFIG', 'VIGIL_SERVER', 'VIGIL_CA_FINGERPRINT', 'VIGIL_AGENT_STATE_DIR']) vi.stubEnv(name, '');
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads every field of a full YAML file', () => {
    expect(loadAgentConfig(write('agent.yaml', FULL_YAML))).toEqual(FULL);
  });

  it('reads the same settings from JSON', () => {
    const json = { ...FULL, caFingerprint: FP.match(/../g)!.join(':') };
    expect(loadAgentConfig(write('agent.json', JSON.stringify(json, null, 2)))).toEqual(FULL);
  });

  it('fills everything left out with the defaults', () => {
    const config = loadAgentConfig(write('agent.yaml', 'tags:\n  team: infra\n'));
    expect(config).toEqual({ ...defaultAgentConfig(), tags: { team: 'infra' } });
    expect(config).toMatchObject({
      stateDir: '/var/lib/vigil/agent',
      root: '/',
      schedule: { refresh: '17 */6 * * *', heartbeatSeconds: 60 },
      watch: { enabled: true, quietMs: 2000, maxWaitMs: 30000 },
      ports: { pollSeconds: 30 },
    });
    expect(loadAgentConfig(write('empty.yaml', ''))).toEqual(defaultAgentConfig());
  });

  it('reports every problem in the file at once, one per line', () => {
    const file = write(
      'agent.yaml',
      `
serverr: vigil:443
server: vigil.example.com
caFingerprint: abc
stateDir: var/lib/vigil
appRoots: [/srv/app, srv/other]
tags:
  criticality: urgent
  critcality: high
  team: 42
schedule:
  refresh: '61 * * * *'
  heartbeatSeconds: '60'
watch:
  enabled: yes
  quiet_ms: 500
  maxWaitMs: 5
ports: 30
limits:
  maxMessageBytes: 1.5
`,
    );
    expect(configError(() => loadAgentConfig(file)).message.split('\n')).toEqual([
      `${file}: serverr: unknown key (did you mean "server"?)`,
      `${file}: server: expected host:port, the port is missing, got "vigil.example.com"`,
      `${file}: caFingerprint: expected a SHA-256 fingerprint (64 hex digits), got "abc"`,
      `${file}: stateDir: must be an absolute path, got "var/lib/vigil"`,
      `${file}: appRoots[1]: must be an absolute path, got "srv/other"`,
      `${file}: tags.criticality: must be one of high, medium, low, got "urgent"`,
      `${file}: tags.critcality: unknown tag close to a well-known one (did you mean "criticality"?)`,
      `${file}: tags.team: expected a non-empty string, got number 42`,
      `${file}: schedule.refresh: "61 * * * *" is not a valid cron expression`,
      `${file}: schedule.heartbeatSeconds: expected an integer, got "60"`,
      `${file}: watch.enabled: expected true or false, got "yes"`,
      `${file}: watch.quiet_ms: unknown key (did you mean "quietMs"?)`,
      `${file}: watch.maxWaitMs: must be between 1000 and 3600000, got 5`,
      `${file}: ports: expected a mapping, got number 30`,
      `${file}: limits.maxMessageBytes: expected an integer, got number 1.5`,
    ]);
  });

  it('rejects a maximum wait shorter than the quiet period', () => {
    const file = write('agent.yaml', 'watch:\n  quietMs: 5000\n  maxWaitMs: 4000\n');
    expect(configError(() => loadAgentConfig(file)).message).toBe(
      `${file}: watch.maxWaitMs: must not be less than watch.quietMs (5000), got 4000`,
    );
  });

  it('points at the line and column of a YAML syntax error', () => {
    const file = write('agent.yaml', 'server: vigil:443\ntags: [prod\nroot: /\n');
    const lines = configError(() => loadAgentConfig(file)).message.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:1: `));
  });

  it('points at the line and column of a JSON syntax error', () => {
    const file = write('agent.json', '{\n  "root": "/",\n}\n');
    expect(configError(() => loadAgentConfig(file)).message).toMatch(/agent\.json:3:1: /);
  });

  it('lets the environment override the file, and checks what it sets', () => {
    const file = write('agent.yaml', FULL_YAML);
    vi.stubEnv('VIGIL_SERVER', '[2001:db8::1]:443');
    vi.stubEnv('VIGIL_AGENT_STATE_DIR', '/run/vigil');
    expect(loadAgentConfig(file)).toEqual({ ...FULL, server: '[2001:db8::1]:443', stateDir: '/run/vigil' });

    vi.stubEnv('VIGIL_SERVER', '2001:db8::1:443');
    expect(configError(() => loadAgentConfig(file)).message).toBe(
      'environment VIGIL_SERVER: server: expected host:port, IPv6 addresses go in brackets, got "2001:db8::1:443"',
    );
  });

  it('reads the file named by VIGIL_AGENT_CONFIG and insists it exists', () => {
    vi.stubEnv('VIGIL_AGENT_CONFIG', write('named.yaml', 'root: /mnt/host\n'));
    expect(loadAgentConfig().root).toBe('/mnt/host');
    const missing = path.join(dir, 'missing.yaml');
    expect(configError(() => loadAgentConfig(missing)).message).toBe(`${missing}: file not found`);
  });
});
