import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Vigil's settings from the environment, read in one place. Defaults in code, then
 * the environment; commands take explicit options on top.
 */

/** Where Vigil keeps its databases: VIGIL_DATA_DIR, else /var/lib/vigil for root, else ~/.local/share/vigil. */
export function dataDir(): string {
  if (process.env.VIGIL_DATA_DIR) return path.resolve(process.env.VIGIL_DATA_DIR);
  if (process.getuid?.() === 0) return '/var/lib/vigil';
  return path.join(process.env.XDG_DATA_HOME ?? path.join(homedir(), '.local/share'), 'vigil');
}

/** The advisory database file inside a data directory. */
export function advisoryDbFile(dir = dataDir()): string {
  return path.join(dir, 'advisories.db');
}

/** The offline advisory snapshot shipped with Vigil (data/feeds beside the build). */
export function bundledFeedsDir(): string {
  return fileURLToPath(new URL('../../data/feeds', import.meta.url));
}

/** NO_COLOR (no-color.org): any non-empty value turns terminal colour off. */
export function envNoColor(): boolean {
  return Boolean(process.env.NO_COLOR);
}

export function envLogLevel(): string | undefined {
  return process.env.VIGIL_LOG_LEVEL;
}

/** Agent config file named by VIGIL_AGENT_CONFIG, which replaces the default path. */
export function envAgentConfigFile(): string | undefined {
  return process.env.VIGIL_AGENT_CONFIG || undefined;
}

/** Environment variable that overrides each agent config field, named in error messages. */
export const AGENT_ENV_NAMES = {
  server: 'VIGIL_SERVER',
  caFingerprint: 'VIGIL_CA_FINGERPRINT',
  stateDir: 'VIGIL_AGENT_STATE_DIR',
} as const;

export type AgentEnvField = keyof typeof AGENT_ENV_NAMES;

/**
 * Agent fields the environment sets over the file (systemd drop-ins and containers
 * use these). An empty variable counts as unset.
 */
export function envAgentOverrides(): Partial<Record<AgentEnvField, string>> {
  const out: Partial<Record<AgentEnvField, string>> = {};
  for (const [field, name] of Object.entries(AGENT_ENV_NAMES) as [AgentEnvField, string][]) {
    const value = process.env[name];
    if (value) out[field] = value;
  }
  return out;
}

/** The server's HTTP API for CLI commands: VIGIL_API_URL, else the local default listener. */
export function envApiUrl(): string {
  return process.env.VIGIL_API_URL || 'http://127.0.0.1:8080';
}

/** A PEM file of the CA(s) that signed an HTTPS API's certificate (VIGIL_API_CA), trusted besides the system's. */
export function envApiCa(): string | undefined {
  return process.env.VIGIL_API_CA || undefined;
}

/** A bearer token given directly in VIGIL_API_TOKEN (scripts); otherwise the CLI reads the server's token file. */
export function envApiToken(): string | undefined {
  return process.env.VIGIL_API_TOKEN || undefined;
}
