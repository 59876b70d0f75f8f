import { hostname } from 'node:os';
import type { Decision } from '../../core/decision.js';
import type { ActionOutcome, ActionPlan, Responder, ResponderContext, VerifyOutcome } from '../../core/responder.js';
import { withTimeout } from '../../platform/exec/index.js';
import { type Delivery, deliver } from './deliver.js';
import { buildPayload, describeDecision, type WebhookEvent, type WebhookFormat } from './payload.js';
import { SIGNATURE_HEADER, signBody } from './sign.js';

export interface WebhookResponderOptions {
  readonly url: string;
  readonly format?: WebhookFormat;
  /** Shared secret for the HMAC-SHA256 signature header; no header without it. */
  readonly secret?: string;
  /** Per request attempt (default 5000 ms). */
  readonly timeoutMs?: number;
  /** Retries for 5xx, 429 and network errors (default 3). */
  readonly retries?: number;
  /** First retry delay, doubled each time (default 500 ms). */
  readonly backoffMs?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Decision actions this webhook carries out (default `['notify']`); any action may be listed. */
  readonly actions?: readonly string[];
  /** Also send a message when a decision is rolled back (default true). */
  readonly notifyRollback?: boolean;
  /** Host name shown in messages (default os.hostname()). */
  readonly host?: string;
  readonly type?: string;
}

/**
 * Where a plan or log line may show the URL: scheme and host only. Slack and many chat webhooks
 * carry their secret token in the path, and plans are written to the audit log.
 */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname === '/' ? '/' : '/…'}`;
  } catch {
    return '(invalid url)';
  }
}

/**
 * Tell people or another system about a decision: POST JSON (generic or Slack-compatible),
 * optionally HMAC-signed, retried with backoff. Deliveries are remembered per decision and
 * event, so a repeated apply does not notify twice.
 *
 * @example
 * createWebhookResponder({ url: 'https://hooks.slack.com/services/T/B/X', format: 'slack' })
 */
export function createWebhookResponder(opts: WebhookResponderOptions): Responder {
  const format = opts.format ?? 'generic';
  const type = opts.type ?? 'webhook';
  const host = opts.host ?? hostname();
  const shown = redactUrl(opts.url);
  const notifyRollback = opts.notifyRollback ?? true;
  /** Last delivery per `decisionId event`. */
  const deliveries = new Map<string, Delivery>();

  const planFor = (d: Decision): ActionPlan => ({
    decisionId: d.id,
    responder: type,
    summary: `notify ${shown} (${format}) about: ${describeDecision(d)}`,
    steps: [`POST ${format} JSON to ${shown}${opts.secret ? ' signed with HMAC-SHA256' : ''}`],
    blastRadius: 'low',
    reversible: false,
  });

  async function send(
    d: Decision,
    event: WebhookEvent,
    ctx: ResponderContext,
    signal: AbortSignal,
  ): Promise<ActionOutcome> {
    const key = `${d.id} ${event}`;
    if (deliveries.get(key)?.ok) return { kind: 'applied', detail: 'already delivered' };
    const body = buildPayload(format, d, planFor(d), { event, sentAt: new Date(ctx.clock.now()).toISOString(), host });
    const headers: Record<string, string> = {
      'user-agent': 'leuko-webhook/1',
      ...opts.headers,
      'content-type': 'application/json',
      'x-leuko-event': event,
      'x-leuko-delivery': d.id,
    };
    if (opts.secret) headers[SIGNATURE_HEADER] = signBody(body, opts.secret);
    const r = await deliver(opts.url, body, {
      headers,
      timeoutMs: opts.timeoutMs ?? 5000,
      retries: opts.retries ?? 3,
      backoffMs: opts.backoffMs ?? 500,
      signal,
    });
    deliveries.set(key, r);
    if (r.ok)
      return { kind: 'applied', detail: `HTTP ${r.status} after ${r.attempts} attempt${r.attempts === 1 ? '' : 's'}` };
    ctx.log('warn', `webhook ${shown}: ${r.error}`, { decision: d.id, attempts: r.attempts });
    return { kind: 'failed', error: `${r.error} after ${r.attempts} attempts`, retryable: r.retryable };
  }

  const batch = async (decisions: readonly Decision[], ctx: ResponderContext, event: WebhookEvent) => {
    const signal = withTimeout(ctx.signal, ctx.timeoutMs);
    const outcomes = await Promise.all(decisions.map((d) => send(d, event, ctx, signal)));
    return new Map(decisions.map((d, i) => [d.id, outcomes[i] as ActionOutcome]));
  };

  return {
    type,
    actions: opts.actions ?? ['notify'],
    plan: planFor,
    apply: (decisions, ctx) => batch(decisions, ctx, 'decision.applied'),

    async verify(d): Promise<VerifyOutcome> {
      const last = deliveries.get(`${d.id} decision.applied`);
      if (!last) return { inForce: false, reason: 'not delivered yet' };
      return last.ok
        ? { inForce: true, detail: `delivered (HTTP ${last.status})` }
        : { inForce: false, reason: `last delivery failed: ${last.error}` };
    },

    async rollback(decisions, ctx) {
      if (!notifyRollback) {
        return new Map(
          decisions.map((d) => [d.id, { kind: 'skipped', reason: 'a notification cannot be taken back' } as const]),
        );
      }
      return batch(decisions, ctx, 'decision.rolled_back');
    },
  };
}
