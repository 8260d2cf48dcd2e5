import type { VigilEvent } from '../events.js';
import { findingDetailOf } from './finding-event.js';
import type { PayloadTemplate } from './targets/types.js';

/**
 * Webhook bodies: `raw` is the event itself; `slack` a Slack incoming-webhook message
 * (fallback `text` and Block Kit `blocks`); `teams` a Microsoft Teams message with one
 * Adaptive Card attachment. A finding's message names its severity, vulnerability,
 * package and host; any other event's its detail-type and resources.
 */

export interface EventSummary {
  title: string;
  facts: Array<{ label: string; value: string }>;
}

/** Slack's limits (Block Kit reference): header text 150 characters, 10 fields of 2,000 each. */
const SLACK_HEADER_MAX = 150;
const SLACK_FIELD_MAX = 2000;
const SLACK_FIELDS_MAX = 10;

function clip(s: string, max: number): string {
  return s.length <= max ? s : s.slice(0, max - 1) + '…';
}

export function summarize(e: VigilEvent): EventSummary {
  const d = findingDetailOf(e);
  if (d) {
    const f = d.finding;
    const host = d.hostname ?? d.hostId;
    const pkg = `${f.component.name} ${f.installedVersion ?? f.component.version}`;
    const facts = [
      { label: 'Severity', value: `${f.severity}${typeof f.score === 'number' ? ` (Vigil score ${f.score})` : ''}` },
      { label: 'Vulnerability', value: f.vulnerability },
      { label: 'Package', value: f.fixedVersion ? `${pkg} (fixed in ${f.fixedVersion})` : pkg },
      { label: 'Host', value: host },
      { label: 'Status', value: d.previous ? `${d.previous} → ${d.status}` : d.status },
    ];
    if (d.closeReason) facts.push({ label: 'Closed because', value: d.closeReason });
    return { title: `${f.severity.toUpperCase()} ${f.vulnerability} in ${pkg} on ${host}`, facts };
  }
  return {
    title: e['detail-type'],
    facts: [
      { label: 'Detail type', value: e['detail-type'] },
      { label: 'Resources', value: e.resources.length ? e.resources.join('\n') : '(none)' },
    ],
  };
}

const mrkdwn = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function slackMessage(e: VigilEvent): Record<string, unknown> {
  const s = summarize(e);
  return {
    text: clip(`Vigil: ${s.title}`, 3000),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: clip(s.title, SLACK_HEADER_MAX), emoji: false } },
      {
        type: 'section',
        fields: s.facts.slice(0, SLACK_FIELDS_MAX).map((f) => ({ type: 'mrkdwn', text: clip(`*${mrkdwn(f.label)}*\n${mrkdwn(f.value)}`, SLACK_FIELD_MAX) })),
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: mrkdwn(`Vigil event ${e.id} at ${e.time}`) }] },
    ],
  };
}

export function teamsMessage(e: VigilEvent): Record<string, unknown> {
  const s = summarize(e);
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.2',
          body: [
            { type: 'TextBlock', text: s.title, weight: 'Bolder', size: 'Medium', wrap: true },
            { type: 'FactSet', facts: s.facts.map((f) => ({ title: f.label, value: f.value })) },
            { type: 'TextBlock', text: `Vigil event ${e.id} at ${e.time}`, isSubtle: true, size: 'Small', wrap: true },
          ],
        },
      },
    ],
  };
}

export function renderPayload(template: PayloadTemplate, e: VigilEvent): unknown {
  return template === 'slack' ? slackMessage(e) : template === 'teams' ? teamsMessage(e) : e;
}
