import type { FindingStatus } from '../../common/lifecycle/finding.js';
import type { Finding } from '../../matcher/finding.js';
import { resource, type VigilEvent } from '../events.js';
import type { HostFinding } from '../fleet-types.js';

/**
 * The event of a finding that opened, changed status or closed: what routes match
 * on (`detail.finding.severity`, `detail.status`, `detail.hostId` …) and what the
 * Slack, Teams and ASFF forms are made from.
 */
export const FINDING_DETAIL_TYPE = 'Finding State Change';

export interface FindingEventDetail {
  hostId: string;
  hostname?: string;
  findingId: string;
  status: FindingStatus;
  /** The status before this change; absent when the finding, or a new episode of it, opened. */
  previous?: FindingStatus;
  closeReason?: string;
  firstSeen: string;
  lastSeen: string;
  episode: number;
  finding: Finding;
}

/** `vigil:finding/HOST/ID`, beside the host's resource name. */
export const findingResource = (hostId: string, findingId: string): string => `vigil:finding/${hostId}/${findingId}`;

/** The detail-type, resources and detail of a finding's event, for an EventSink. */
export function findingEvent(
  host: { id: string; hostname?: string },
  stored: HostFinding,
  previous?: FindingStatus,
): { detailType: string; resources: string[]; detail: FindingEventDetail } {
  const detail: FindingEventDetail = {
    hostId: host.id,
    ...(host.hostname ? { hostname: host.hostname } : {}),
    findingId: stored.id,
    status: stored.status,
    ...(previous ? { previous } : {}),
    ...(stored.closeReason ? { closeReason: stored.closeReason } : {}),
    firstSeen: stored.firstSeen,
    lastSeen: stored.lastSeen,
    episode: stored.episode,
    finding: stored.finding,
  };
  return { detailType: FINDING_DETAIL_TYPE, resources: [resource.host(host.id), findingResource(host.id, stored.id)], detail };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The finding detail of an event, when it has one of the expected shape (events come back from storage as JSON). */
export function findingDetailOf(e: Pick<VigilEvent, 'detail-type' | 'detail'>): FindingEventDetail | undefined {
  const d = e.detail;
  if (e['detail-type'] !== FINDING_DETAIL_TYPE || typeof d.hostId !== 'string' || typeof d.findingId !== 'string' || !isObject(d.finding)) return undefined;
  const f = d.finding;
  if (typeof f.vulnerability !== 'string' || typeof f.severity !== 'string' || !isObject(f.component) || typeof f.component.name !== 'string') return undefined;
  return d as unknown as FindingEventDetail;
}
