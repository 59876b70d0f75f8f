import type { EventEnricher } from '../../core/detector.js';
import type { EcsEvent } from '../../core/event.js';
import { classifyRequest } from './classify.js';
import { HTTP_ACCESS_DATASETS } from '../../core/datasets.js';

/** Datasets whose events are HTTP requests as an access log records them. */
const ACCESS_DATASETS: ReadonlySet<string> = new Set(HTTP_ACCESS_DATASETS);

function str(event: EcsEvent, field: string): string | undefined {
  const v = event[field];
  return typeof v === 'string' ? v : undefined;
}

/**
 * Tag an access-log event with what it attacks: `attack.class` (the most certain class),
 * `attack.classes` (all of them), `attack.fragment` (the decoded text that matched, quoted in
 * explanations), `attack.part` (path, query, user_agent, referrer) and `attack.signature`.
 * Returns true when the event was tagged. Shared by the pipeline enricher and `leuko parse`.
 */
export function tagAttack(event: EcsEvent): boolean {
  const dataset = event['event.dataset'];
  if (typeof dataset !== 'string' || !ACCESS_DATASETS.has(dataset)) return false;
  const c = classifyRequest({
    url: str(event, 'url.original'),
    userAgent: str(event, 'user_agent.original'),
    referrer: str(event, 'http.request.referrer'),
  });
  if (c === undefined) return false;
  event['attack.class'] = c.cls;
  event['attack.classes'] = c.classes;
  event['attack.fragment'] = c.fragment;
  event['attack.part'] = c.part;
  event['attack.signature'] = c.signature;
  return true;
}

/** The pipeline stage: classification before scenarios, so they can filter on `attack.class`. */
export function createWebAttackEnricher(): EventEnricher {
  return {
    name: 'web-attacks',
    enrich(obs) {
      tagAttack(obs.event);
    },
  };
}
