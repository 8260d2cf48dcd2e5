import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySignature } from '../../../src/server/events/targets/webhook.js';

/**
 * A real webhook receiver on 127.0.0.1 (node:http), as a customer would write one:
 * it checks the signature and the timestamp window, and keeps each event id once
 * (a repeat is answered 200 and dropped). `answer` decides the response; `drop`
 * processes the event, then cuts the connection before answering: a lost response.
 */
export interface Request {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  valid: boolean;
  headers: IncomingMessage['headers'];
}

export type Answer = { status: number; headers?: Record<string, string>; body?: string } | 'drop' | 'hang';

export class Receiver {
  readonly requests: Request[] = [];
  /** Event ids processed, each once: what a deduplicating receiver keeps. */
  readonly processed = new Set<string>();
  /** Event ids whose response was lost after they were processed. */
  readonly lost = new Set<string>();
  answer: (r: Request) => Answer = () => ({ status: 200 });
  port = 0;
  private server: Server | undefined;

  constructor(
    readonly secret: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  /** How many requests carried each event id. */
  counts(): Map<string, number> {
    const m = new Map<string, number>();
    for (const r of this.requests) m.set(r.id, (m.get(r.id) ?? 0) + 1);
    return m;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const r: Request = {
        id: String(req.headers['vigil-event-id'] ?? ''),
        timestamp: String(req.headers['vigil-timestamp'] ?? ''),
        signature: String(req.headers['vigil-signature'] ?? ''),
        body,
        valid: false,
        headers: req.headers,
      };
      r.valid = verifySignature(this.secret, r.timestamp, body, r.signature, this.now());
      this.requests.push(r);
      if (!r.valid) {
        res.writeHead(401).end('bad signature');
        return;
      }
      const a = this.answer(r);
      if (a === 'hang') return;
      if (a === 'drop' || (a.status >= 200 && a.status < 300)) this.processed.add(r.id);
      if (a === 'drop') {
        this.lost.add(r.id);
        req.socket.destroy();
        return;
      }
      res.writeHead(a.status, a.headers).end(a.body ?? '');
    });
  }

  /** Listens on 127.0.0.1, on the port it had before when restarted. */
  async start(): Promise<void> {
    const server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stops listening and cuts every open connection: the receiver is down. */
  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.server = undefined;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
