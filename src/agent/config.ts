import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { AGENT_ENV_NAMES, envAgentConfigFile, envAgentOverrides, type AgentEnvField } from '../common/config.js';
import { VigilError } from '../common/errors.js';
import {
  Problems,
  absolutePath,
  absolutePaths,
  bool,
  cron,
  fingerprint,
  hostPort,
  int,
  isMapping,
  nearMiss,
  oneOf,
  section,
  show,
  str,
  type Check,
  type Spec,
} from './config-checks.js';

export const DEFAULT_AGENT_CONFIG_FILE = '/etc/vigil/agent.yaml';

export const CRITICALITIES = ['high', 'medium', 'low'] as const;
export type Criticality = (typeof CRITICALITIES)[number];

/** Well-known tags are typed; any other key is a free-form string tag. */
export interface AgentTags {
  environment?: string;
  service?: string;
  team?: string;
  criticality?: Criticality;
  [tag: string]: string | undefined;
}

export interface AgentConfig {
  /** Vigil server as host:port; unset until the agent is enrolled. */
  server?: string;
  /** SHA-256 of the server's CA certificate, lowercase hex, pinned at enrollment. */
  caFingerprint?: string;
  stateDir: string;
  /** Root of the filesystem to inventory (a container or chroot mount, or `/`). */
  root: string;
  /** Directories walked for language packages even where the walk of the root leaves them out. */
  appRoots: string[];
  /** Directories the walk never enters. */
  skipDirs: string[];
  /** Walk the download caches the walk skips, marking what is found there. */
  includeCaches: boolean;
  tags: AgentTags;
  schedule: { refresh: string; heartbeatSeconds: number };
  watch: { enabled: boolean; quietMs: number; maxWaitMs: number };
  ports: { pollSeconds: number };
  limits: { maxMessageBytes: number };
  /** Backoff between connection attempts: a random wait up to min(maxMs, initialMs × 2^attempt) ("full jitter"). */
  reconnect: { initialMs: number; maxMs: number };
  /** The root-owned executor this agent hands signed commands to (it runs nothing itself). */
  executor: { socket: string; timeoutSeconds: number };
}

export function defaultAgentConfig(): AgentConfig {
  return {
    stateDir: '/var/lib/vigil/agent',
    root: '/',
    appRoots: [],
    skipDirs: [],
    includeCaches: false,
    tags: {},
    // Minute 17 rather than 0 so a fleet's refreshes do not land with everyone else's cron jobs.
    schedule: { refresh: '17 */6 * * *', heartbeatSeconds: 60 },
    // 2 s of quiet outlasts the gaps between dpkg's writes within one transaction;
    // 30 s caps the wait during a long upgrade so the server is never far behind.
    watch: { enabled: true, quietMs: 2000, maxWaitMs: 30_000 },
    ports: { pollSeconds: 30 },
    // gRPC's own default receive limit.
    limits: { maxMessageBytes: 4 * 1024 * 1024 },
    // After a server restart thousands of agents reconnect; full jitter over up to a
    // minute spreads them instead of sending them back in lock-step waves.
    reconnect: { initialMs: 1000, maxMs: 60_000 },
    executor: { socket: '/run/vigil/executor.sock', timeoutSeconds: 3600 },
  };
}

/** One layer (file or environment) before merging: sections hold only the keys that were set. */
interface Layer {
  server?: string;
  caFingerprint?: string;
  stateDir?: string;
  root?: string;
  appRoots?: string[];
  skipDirs?: string[];
  includeCaches?: boolean;
  tags?: AgentTags;
  schedule?: Partial<AgentConfig['schedule']>;
  watch?: Partial<AgentConfig['watch']>;
  ports?: Partial<AgentConfig['ports']>;
  limits?: Partial<AgentConfig['limits']>;
  reconnect?: Partial<AgentConfig['reconnect']>;
  executor?: Partial<AgentConfig['executor']>;
}

const WELL_KNOWN_TAGS = ['environment', 'service', 'team', 'criticality'] as const;
const TAG_KEY = /^[A-Za-z][A-Za-z0-9_.\/-]{0,62}$/;

const tags: Check<AgentTags> = (v, key, p) => {
  if (!isMapping(v)) {
    p.add(key, `expected a mapping of tag names to strings, got ${show(v)}`);
    return undefined;
  }
  const out: AgentTags = {};
  for (const [name, value] of Object.entries(v)) {
    const at = `${key}.${name}`;
    if (name === 'criticality') {
      const c = oneOf(CRITICALITIES)(value, at, p);
      if (c !== undefined) out.criticality = c;
      continue;
    }
    if (!(WELL_KNOWN_TAGS as readonly string[]).includes(name)) {
      if (!TAG_KEY.test(name)) {
        p.add(at, 'tag names start with a letter and use letters, digits, "_", ".", "/" or "-" (at most 63)');
        continue;
      }
      // A free-form tag that is one typo away from a typed one is almost surely that one
      // misspelt; a longer form ("teams") is a deliberate tag of its own.
      const guess = nearMiss(name, WELL_KNOWN_TAGS);
      if (guess && !name.toLowerCase().startsWith(guess) && !guess.startsWith(name.toLowerCase())) {
        p.add(at, `unknown tag close to a well-known one (did you mean "${guess}"?)`);
        continue;
      }
    }
    const s = str(value, at, p);
    if (s !== undefined) out[name] = s;
  }
  return out;
};

const SPEC: Spec<Layer> = {
  server: hostPort,
  caFingerprint: fingerprint,
  stateDir: absolutePath,
  root: absolutePath,
  appRoots: absolutePaths,
  skipDirs: absolutePaths,
  includeCaches: bool,
  tags,
  schedule: section<AgentConfig['schedule']>({ refresh: cron, heartbeatSeconds: int(5, 3600) }),
  watch: section<AgentConfig['watch']>({ enabled: bool, quietMs: int(100, 600_000), maxWaitMs: int(1000, 3_600_000) }),
  ports: section<AgentConfig['ports']>({ pollSeconds: int(1, 3600) }),
  limits: section<AgentConfig['limits']>({ maxMessageBytes: int(64 * 1024, 256 * 1024 * 1024) }),
  reconnect: section<AgentConfig['reconnect']>({ initialMs: int(10, 600_000), maxMs: int(100, 3_600_000) }),
  executor: section<AgentConfig['executor']>({ socket: absolutePath, timeoutSeconds: int(10, 86_400) }),
};
const checkLayer = section(SPEC);

function merge(base: AgentConfig, layer: Layer): AgentConfig {
  return {
    ...base,
    ...layer,
    tags: { ...base.tags, ...layer.tags },
    schedule: { ...base.schedule, ...layer.schedule },
    watch: { ...base.watch, ...layer.watch },
    ports: { ...base.ports, ...layer.ports },
    limits: { ...base.limits, ...layer.limits },
    reconnect: { ...base.reconnect, ...layer.reconnect },
    executor: { ...base.executor, ...layer.executor },
  };
}

function configError(lines: string[]): VigilError {
  return new VigilError('INVALID_INPUT', lines.join('\n'));
}

/** Line and column of a JSON.parse failure, which V8 reports only as an offset. */
function jsonErrorLine(file: string, text: string, err: Error): string {
  const at = /position (\d+)/.exec(err.message);
  const reason = err.message.replace(/ in JSON at position \d+.*$/, '');
  if (!at) return `${file}: ${reason}`;
  const before = text.slice(0, Number(at[1]));
  const line = before.split('\n').length;
  const col = before.length - before.lastIndexOf('\n');
  return `${file}:${line}:${col}: ${reason}`;
}

/** The file's contents as plain data; syntax errors end loading here, since nothing after them can be checked. */
function parseFile(file: string, text: string): unknown {
  if (file.endsWith('.json')) {
    try {
      return JSON.parse(text);
    } catch (err) {
      throw configError([jsonErrorLine(file, text, err as Error)]);
    }
  }
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    throw configError(
      doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        const reason = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
        return pos ? `${file}:${pos.line}:${pos.col}: ${reason}` : `${file}: ${reason}`;
      }),
    );
  }
  return doc.toJS();
}

function readConfigFile(file: string, required: boolean): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // The default file is optional so a fresh install runs on defaults; a file someone
    // named must exist, or a typo in its path would silently drop their settings.
    if (code === 'ENOENT' && !required) return {};
    throw new VigilError('INVALID_INPUT', `${file}: ${code === 'ENOENT' ? 'file not found' : (err as Error).message}`, { cause: err });
  }
  const data = parseFile(file, text);
  return data ?? {};
}

/**
 * The agent's settings: defaults, then the config file (`file`, else
 * VIGIL_AGENT_CONFIG, else /etc/vigil/agent.yaml), then the environment. Every
 * problem found is reported together in one CONFIG error, one per line.
 */
export function loadAgentConfig(file?: string): AgentConfig {
  const named = file ?? envAgentConfigFile();
  const path = named ?? DEFAULT_AGENT_CONFIG_FILE;
  const raw = readConfigFile(path, named !== undefined);

  const fileProblems = new Problems(path);
  const fromFile = checkLayer(raw, '', fileProblems) ?? {};
  const lines = [...fileProblems.lines];

  const fromEnv: Layer = {};
  for (const [field, value] of Object.entries(envAgentOverrides()) as [AgentEnvField, string][]) {
    const envProblems = new Problems(`environment ${AGENT_ENV_NAMES[field]}`);
    const checked = SPEC[field](value, field, envProblems);
    if (checked !== undefined) fromEnv[field] = checked;
    lines.push(...envProblems.lines);
  }

  const config = merge(merge(defaultAgentConfig(), fromFile), fromEnv);
  if (config.watch.maxWaitMs < config.watch.quietMs) {
    const cross = new Problems(path);
    cross.add('watch.maxWaitMs', `must not be less than watch.quietMs (${config.watch.quietMs}), got ${config.watch.maxWaitMs}`);
    lines.push(...cross.lines);
  }
  if (lines.length > 0) throw configError(lines);
  return config;
}
