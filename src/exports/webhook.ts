import type { AuditRecord } from '../core/audit.js';
import { summaryOf, targetOf } from './format.js';
import type { SinkStats } from './syslog-sink.js';

export type WebhookEvent = 'incident' | 'approval';

/** Which records a webhook announces: incidents opened or judged, approvals asked and answered. */
export function webhookEventOf(r: AuditRecord): WebhookEvent | undefined {
  if (r.kind === 'incident' && ['incident.opened', 'incident.dismissed', 'incident.confirmed'].includes(r.action))
    return 'incident';
  if (r.action === 'decision.queued' || r.action === 'approval.approved' || r.action === 'approval.rejected')
    return 'approval';
  return undefined;
}

function slackText(r: AuditRecord, host: string): string {
  const t = targetOf(r);
  const what =
    r.action === 'incident.opened'
      ? ':rotating_light: New incident'
      : r.action === 'decision.queued'
        ? ':raised_hand: Approval needed'
        : r.action === 'approval.approved'
          ? ':white_check_mark: Approved'
          : r.action === 'approval.rejected'
            ? ':no_entry: Rejected'
            : r.action === 'incident.dismissed'
              ? ':wastebasket: False positive'
              : ':heavy_check_mark: Confirmed';
  // Slack mrkdwn: escape &, <, > so attacker-chosen text cannot form links or mentions.
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `${what} on *${esc(host)}*${t ? ` — \`${esc(t.value)}\`` : ''}\n${esc(summaryOf(r))}`;
}

/**
 * POSTs one JSON document per record: generic (`{event, host, record}`) or Slack-compatible
 * (`{text}`). A failed or slow endpoint is counted and skipped: webhooks never hold up anything.
 */
export function createWebhookSink(opts: {
  url: string;
  format: 'generic' | 'slack';
  events: readonly WebhookEvent[];
  timeoutMs: number;
  host: string;
}) {
  const stats: SinkStats = { sent: 0, dropped: 0, errors: 0 };
  return {
    stats,
    async send(records: readonly AuditRecord[]): Promise<void> {
      for (const r of records) {
        const event = webhookEventOf(r);
        if (!event || !opts.events.includes(event)) continue;
        const body =
          opts.format === 'slack'
            ? { text: slackText(r, opts.host) }
            : { event, action: r.action, host: opts.host, summary: summaryOf(r), record: r };
        try {
          const res = await fetch(opts.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'user-agent': 'leuko-webhook' },
            body: JSON.stringify(body),
            signal: AbortSignal.timeout(opts.timeoutMs),
          });
          if (res.ok) stats.sent++;
          else stats.errors++;
          await res.body?.cancel();
        } catch {
          stats.errors++;
        }
      }
    },
  };
}
