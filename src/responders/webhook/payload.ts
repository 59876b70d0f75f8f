import type { Decision } from '../../core/decision.js';
import { formatDurationS } from '../../core/duration.js';
import type { ActionPlan } from '../../core/responder.js';

export type WebhookFormat = 'generic' | 'slack';
export type WebhookEvent = 'decision.applied' | 'decision.rolled_back';

export interface PayloadMeta {
  readonly event: WebhookEvent;
  /** ISO time of sending (from the injected clock). Inside the signed body, so a receiver can refuse replays. */
  readonly sentAt: string;
  readonly host: string;
}

/** `ban ip 203.0.113.9 for 4h`: the decision in words. */
export function describeDecision(d: Decision): string {
  const duration = d.durationS > 0 ? ` for ${formatDurationS(d.durationS)}` : '';
  return `${d.action} ${d.scope} ${d.value}${duration}`;
}

/** Generic JSON: versioned, the decision as Leuko stores it, and the plan. */
export function genericPayload(d: Decision, plan: ActionPlan, meta: PayloadMeta): unknown {
  return { version: 1, event: meta.event, sent_at: meta.sentAt, host: meta.host, decision: d, plan };
}

const SLACK_TEXT_MAX = 2900;

/**
 * Slack mrkdwn treats `<...>` as links and mentions (`<!channel>`, `<https://evil|click>`) and
 * `&` as an entity. Decision values and reasons carry attacker-chosen text (user names, URLs
 * from log lines), so they are escaped, never interpreted.
 */
export function escapeSlack(text: string): string {
  const s = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return s.length > SLACK_TEXT_MAX ? `${s.slice(0, SLACK_TEXT_MAX)}…` : s;
}

/** Slack-compatible incoming-webhook body (`text` as fallback, `blocks` for the layout). */
export function slackPayload(d: Decision, plan: ActionPlan, meta: PayloadMeta): unknown {
  const verb = meta.event === 'decision.rolled_back' ? 'rolled back' : 'decided';
  const what = escapeSlack(describeDecision(d));
  const host = escapeSlack(meta.host);
  const text = `Leuko on ${host} ${verb}: ${what} (${escapeSlack(d.reason)})`;
  const context = [
    `decision \`${escapeSlack(d.id)}\``,
    d.scenario ? `scenario \`${escapeSlack(d.scenario)}\`` : undefined,
    `blast radius ${d.blastRadius}`,
    `origin ${d.origin}`,
    d.offence > 1 ? `offence #${d.offence}` : undefined,
  ].filter((s): s is string => s !== undefined);
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*Leuko on ${host} ${verb}:* ${what}` } },
      { type: 'section', text: { type: 'mrkdwn', text: `*Why:* ${escapeSlack(d.reason)}` } },
      { type: 'context', elements: context.map((t) => ({ type: 'mrkdwn', text: t })) },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `plan: ${escapeSlack(plan.summary)}` }] },
    ],
  };
}

export function buildPayload(format: WebhookFormat, d: Decision, plan: ActionPlan, meta: PayloadMeta): string {
  return JSON.stringify(format === 'slack' ? slackPayload(d, plan, meta) : genericPayload(d, plan, meta));
}
