import { parse } from '../args.js';
import { scan } from '../../inventory/scan.js';
import { table } from '../output.js';

export const PORTS_USAGE = `usage: vigil ports [--json]

The listening sockets of this host with process, owning package and exposure
(loopback, private, any).`;

export async function portsCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, { json: { type: 'boolean' } }, 0);
  const inv = await scan({ root: '/' });
  const ports = inv.ports ?? [];
  if (values.json) {
    process.stdout.write(JSON.stringify({ ports, problems: inv.problems.filter((p) => p.collector === 'ports') }, null, 2) + '\n');
    return 0;
  }
  const names = new Map(inv.components.map((c) => [c.purl, `${c.name} ${c.version}`]));
  const rows = ports.map((p) => [
    p.protocol,
    p.address.includes(':') ? `[${p.address}]:${p.port}` : `${p.address}:${p.port}`,
    p.exposure,
    p.pid !== undefined ? String(p.pid) : '-',
    p.process ?? '-',
    p.package ? (names.get(p.package) ?? p.package) : '-',
  ]);
  process.stdout.write(table(['PROTO', 'ADDRESS', 'EXPOSURE', 'PID', 'PROCESS', 'PACKAGE'], rows));
  return 0;
}
