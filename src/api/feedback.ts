import type { Incident } from '../core/incident.js';
import type { ApiRepos, FeedbackRecord } from '../core/store.js';
import type { WriteDeps } from './operations.js';
import { liftDecisions } from './operations.js';
import { notFound } from './problem.js';

export type { FeedbackRecord, Verdict } from '../core/store.js';

/**
 * Something that learns from operators' verdicts (the feedback loop: `leuko feedback`). This is
 * the seam: `recordFeedback` calls every registered hook after the verdict is durable. A hook
 * failing never undoes the verdict.
 */
export type FeedbackHook = (f: FeedbackRecord, incident: Incident) => void | Promise<void>;

/**
 * An operator's verdict on an incident. A false positive dismisses the incident and (by
 * default) lifts the live decisions it caused; a true positive confirms it and leaves it as it
 * is. Both are kept in `incident_feedback` and written to the audit log with the caller.
 */
export async function recordFeedback(
  deps: WriteDeps & { readonly feedback: ApiRepos['feedback']; readonly hooks?: readonly FeedbackHook[] },
  incidentId: string,
  input: { verdict: FeedbackRecord['verdict']; note?: string | undefined; liftDecisions: boolean },
  actor: string,
  log?: (message: string, err: unknown) => void,
): Promise<{ feedback: FeedbackRecord; incident: Incident; lifted: number }> {
  const incident = await deps.store.getIncident(incidentId);
  if (!incident) throw notFound(`no incident ${incidentId}`);
  const now = deps.clock.now();
  const feedback: FeedbackRecord = {
    id: deps.ids.next('fbk'),
    incidentId,
    verdict: input.verdict,
    actor,
    note: input.note ?? null,
    at: now,
  };
  await deps.feedback.add(feedback);
  const next: Incident = input.verdict === 'false_positive' ? { ...incident, status: 'dismissed' } : incident;
  await deps.store.commit({
    ...(next === incident ? {} : { incidents: [next] }),
    audit: [
      {
        kind: 'incident',
        action: input.verdict === 'false_positive' ? 'incident.dismissed' : 'incident.confirmed',
        subject: incidentId,
        actor,
        at: now,
        data: { verdict: input.verdict, note: feedback.note, from: incident.status, to: next.status },
      },
    ],
  });
  let lifted = 0;
  if (input.verdict === 'false_positive' && input.liftDecisions) {
    const live = (await deps.store.listDecisions({ value: incident.entity.value, activeAt: now, limit: 1000 })).filter(
      (d) => d.incidentId === incidentId,
    );
    lifted = (await liftDecisions(deps, live, actor, 'lifted (false positive)')).length;
  }
  for (const hook of deps.hooks ?? []) {
    try {
      await hook(feedback, next);
    } catch (err) {
      log?.('a feedback hook failed', err);
    }
  }
  return { feedback, incident: next, lifted };
}
