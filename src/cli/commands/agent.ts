import path from 'node:path';
import { enrollAgent } from '../../agent/enroll.js';
import { defaultAgentConfig } from '../../agent/config.js';
import { envAgentOverrides } from '../../common/config.js';
import { VigilError } from '../../common/errors.js';
import { parse } from '../args.js';

export const AGENT_USAGE = `usage: vigil agent enroll --server HOST:PORT --token TOKEN --ca-fingerprint SHA256 --ca FILE [--state-dir DIR] [--json]

enroll  enroll this host with a Vigil server. FILE is the server's ca.crt; it is
        trusted only if its SHA-256 matches --ca-fingerprint (printed by
        "vigil server init"). A new key is made in DIR (default
        /var/lib/vigil/agent or VIGIL_AGENT_STATE_DIR) and never leaves it;
        the issued certificate is stored next to it. Prints the agent id.`;

export async function agentCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'enroll') throw new VigilError('USAGE', `unknown agent subcommand ${JSON.stringify(sub ?? '')}; use enroll`);
  const { values } = parse(
    rest,
    {
      server: { type: 'string' },
      token: { type: 'string' },
      'ca-fingerprint': { type: 'string' },
      ca: { type: 'string' },
      'state-dir': { type: 'string' },
      json: { type: 'boolean' },
    },
    0,
  );
  const env = envAgentOverrides();
  const server = values.server ?? env.server;
  const caFingerprint = values['ca-fingerprint'] ?? env.caFingerprint;
  for (const [name, v] of [['--server', server], ['--token', values.token], ['--ca-fingerprint', caFingerprint], ['--ca', values.ca]] as const)
    if (!v) throw new VigilError('USAGE', `${name} is required`);
  const stateDir = path.resolve(values['state-dir'] ?? env.stateDir ?? defaultAgentConfig().stateDir);
  const r = await enrollAgent({ server: server!, token: values.token!, caFingerprint: caFingerprint!, caFile: values.ca!, stateDir });
  if (values.json) process.stdout.write(JSON.stringify({ agentId: r.agentId, stateDir: r.stateDir }) + '\n');
  else {
    process.stderr.write(`vigil: enrolled; identity stored in ${r.stateDir}\n`);
    process.stdout.write(`${r.agentId}\n`);
  }
  return 0;
}
