import type { Evidence } from '../../core/detection.js';
import type { Observation } from '../../core/event.js';
import { fieldString } from '../../core/event.js';
import type { KindState } from './kinds/handler.js';

export const EVIDENCE_EACH_END = 5;
export const TRACKED_CAP = 100;
const MESSAGE_CAP = 2000;

/** One bucket: the kind's state plus what the explanation and evidence need. Plain JSON. */
export interface Bucket {
  /** Event time of the first and latest poured event. */
  first: number;
  last: number;
  count: number;
  /** Entity value (from the scenario's entity field), refreshed on each pour. */
  ent: string;
  head: Evidence[];
  tail: Evidence[];
  tracked?: Record<string, string[]>;
  k: KindState;
}

export function newBucket(t: number, k: KindState, ent: string): Bucket {
  return { first: t, last: t, count: 0, ent, head: [], tail: [], k };
}

/** The evidence line of an observation (message bounded: it is attacker-controlled). */
export function evidenceOf(obs: Observation): Evidence {
  const msg = obs.event.message;
  return {
    timestamp: obs.event['@timestamp'],
    message: msg.length > MESSAGE_CAP ? `${msg.slice(0, MESSAGE_CAP)}…` : msg,
    sourceId: obs.sourceId,
  };
}

/** Count a poured event, keeping the first and last five lines as evidence (bounded memory). */
export function recordPour(b: Bucket, obs: Observation, ev: Evidence, tracked: readonly string[], ent: string): void {
  if (b.count === 0) b.first = obs.time;
  b.count++;
  if (obs.time > b.last) b.last = obs.time;
  b.ent = ent;
  if (b.head.length < EVIDENCE_EACH_END) b.head.push(ev);
  else {
    b.tail.push(ev);
    if (b.tail.length > EVIDENCE_EACH_END) b.tail.shift();
  }
  for (const f of tracked) {
    const v = fieldString(obs.event, f);
    if (v === undefined) continue;
    b.tracked ??= {};
    const arr = (b.tracked[f] ??= []);
    if (arr.length < TRACKED_CAP && !arr.includes(v)) arr.push(v);
  }
}

/** Sanity check for a bucket read back from a snapshot. */
export function isBucket(x: unknown): x is Bucket {
  if (typeof x !== 'object' || x === null) return false;
  const b = x as Record<string, unknown>;
  return (
    typeof b.first === 'number' &&
    typeof b.last === 'number' &&
    typeof b.count === 'number' &&
    typeof b.ent === 'string' &&
    Array.isArray(b.head) &&
    Array.isArray(b.tail) &&
    typeof b.k === 'object' &&
    b.k !== null
  );
}
