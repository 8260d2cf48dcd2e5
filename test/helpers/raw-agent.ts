import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { inventoryDigest } from '../../src/common/inventory-digest.js';
import type { Component } from '../../src/common/model.js';
import { decodeServerMessage, encodeAgentMessage, type AgentMsg, type ServerMsg } from '../../src/common/wire/codec.js';
import { waitFor, type ServerHandle } from './fleet.js';

/**
 * A Connect stream with an enrolled agent's real certificate that sends exactly what
 * it is told: what a compromised agent can make the server store (components no
 * collector would report, hostile names included).
 */

const CONNECT = '/vigil.v1.AgentService/Connect';

export interface RawAgent {
  send(msg: AgentMsg): void;
  received: ServerMsg[];
  close(): void;
}

export function connectRaw(server: ServerHandle, stateDir: string): RawAgent {
  const caPem = readFileSync(path.join(server.dir, 'pki/ca.crt'));
  const key = readFileSync(path.join(stateDir, 'agent.key'));
  const cert = readFileSync(path.join(stateDir, 'agent.crt'));
  const client = new grpc.Client(`127.0.0.1:${server.grpcPort}`, grpc.credentials.createSsl(caPem, key, cert), { 'grpc.ssl_target_name_override': 'localhost' });
  const call = client.makeBidiStreamRequest<Buffer, Buffer>(CONNECT, (b) => b, (b) => b);
  const received: ServerMsg[] = [];
  call.on('data', (b: Buffer) => received.push(decodeServerMessage(b)));
  call.on('error', () => undefined);
  return {
    send: (m) => call.write(Buffer.from(encodeAgentMessage(m))),
    received,
    close: () => {
      call.cancel();
      client.close();
    },
  };
}

/** Hello, then one snapshot of `components`; resolves once the server acked it. The stream stays open. */
export async function sendSnapshot(agent: RawAgent, components: Component[]): Promise<void> {
  agent.send({ kind: 'hello', agentVersion: 'test', agentEpoch: 1, lastAckedSeq: 0, capabilities: [] });
  await waitFor('welcome', () => agent.received.find((m) => m.kind === 'welcome'));
  agent.send({ kind: 'snapshot', epoch: 1, seq: 1, chunkIndex: 0, chunkCount: 1, components, digest: inventoryDigest(components) });
  await waitFor('ack', () => agent.received.find((m) => m.kind === 'ack'));
}
