import { createHash } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import type { Decision } from '../core/decision.js';
import type { ApiRepos, Store } from '../core/store.js';
import { ENFORCED_STATUSES } from '../enforcement/transitions.js';
import { parseCidr } from '../policy/allowlist.js';

/**
 * CrowdSec Local API compatibility, the part bouncers use: Leuko's bans as CrowdSec decision
 * objects. Only decisions the policy let through (approved, applied, verified) and not yet
 * expired are handed out: a bouncer is one more enforcer, never a way around the policy.
 */

export interface LapiDecision {
  readonly id: number;
  readonly origin: string;
  readonly type: string;
  readonly scope: string;
  readonly value: string;
  readonly duration: string;
  readonly until: string;
  readonly scenario: string;
  readonly simulated: boolean;
  readonly uuid: string;
}

/** Go's time.Duration text, which bouncers parse: 14352s -> `3h59m12s`. */
export function goDuration(ms: number): string {
  const neg = ms < 0;
  let s = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const text = h > 0 ? `${h}h${m}m${s}s` : m > 0 ? `${m}m${s}s` : `${s}s`;
  return neg ? `-${text}` : text;
}

/**
 * CrowdSec decision ids are integers (int64 in Go); Leuko's are strings. A stable 48-bit number
 * from the id's hash: the same decision has the same number on every pull and every bouncer.
 */
export function numericId(id: string): number {
  return createHash('sha256').update(id).digest().readUIntBE(0, 6);
}

export function toLapi(d: Decision, now: number): LapiDecision {
  return {
    id: numericId(d.id),
    origin: d.origin === 'scenario' ? 'leuko' : `leuko-${d.origin}`,
    type: 'ban',
    scope: d.scope === 'range' ? 'Range' : 'Ip',
    value: d.value,
    duration: goDuration(Math.max(0, d.expiresAt - now)),
    until: new Date(d.expiresAt).toISOString(),
    scenario: d.scenario ?? d.reason,
    simulated: false,
    uuid: d.id,
  };
}

export interface LapiFilter {
  readonly scopes?: string | undefined;
  readonly origins?: string | undefined;
  readonly scenarios_containing?: string | undefined;
  readonly scenarios_not_containing?: string | undefined;
}

const list = (s: string | undefined) =>
  (s ?? '')
    .split(',')
    .map((x) => x.trim().toLowerCase())
    .filter(Boolean);

/** The bouncer's query filters, as CrowdSec applies them (scopes default to ip). */
export function matchesFilter(d: LapiDecision, f: LapiFilter): boolean {
  const scopes = list(f.scopes);
  if (!(scopes.length ? scopes : ['ip']).includes(d.scope.toLowerCase())) return false;
  const origins = list(f.origins);
  if (origins.length && !origins.includes(d.origin.toLowerCase())) return false;
  const scenario = d.scenario.toLowerCase();
  const yes = list(f.scenarios_containing);
  if (yes.length && !yes.some((x) => scenario.includes(x))) return false;
  const no = list(f.scenarios_not_containing);
  if (no.some((x) => scenario.includes(x))) return false;
  return true;
}

/** Bans in force now that a bouncer may enforce, newest first. */
export async function enforceableBans(store: Store, now: number): Promise<Decision[]> {
  const live = await store.listDecisions({ activeAt: now, status: ENFORCED_STATUSES, limit: 1_000_000 });
  return live.filter((d) => d.action === 'ban' && (d.scope === 'ip' || d.scope === 'range'));
}

/**
 * `GET /v1/decisions/stream`: per bouncer, what changed since its last pull. The set of
 * decisions each bouncer was told about is kept in `bouncer_delivered`, so a restart of Leuko
 * or of the bouncer loses no deletion. `startup=true` forgets that set and sends everything.
 */
export function createLapiStream(deps: { repos: ApiRepos; store: Store; clock: Clock }) {
  return async function pull(
    bouncerId: string,
    startup: boolean,
    filter: LapiFilter,
  ): Promise<{ new: LapiDecision[]; deleted: LapiDecision[] }> {
    const now = deps.clock.now();
    const active = new Map<string, string>();
    for (const d of await enforceableBans(deps.store, now)) {
      const l = toLapi(d, now);
      if (matchesFilter(l, filter)) active.set(d.id, JSON.stringify(l));
    }
    const { fresh, gone } = await deps.repos.bouncers.deliver(bouncerId, startup, active);
    return {
      new: fresh.map((json) => JSON.parse(json) as LapiDecision),
      deleted: gone.map((json) => ({ ...(JSON.parse(json) as LapiDecision), duration: '0s' })),
    };
  };
}

/** `GET /v1/decisions`: the decisions that apply to an address (ranges containing it too). */
export async function lookupDecisions(
  store: Store,
  now: number,
  q: {
    ip?: string | undefined;
    range?: string | undefined;
    scope?: string | undefined;
    value?: string | undefined;
    type?: string | undefined;
  } & LapiFilter,
): Promise<LapiDecision[]> {
  const ip = q.ip ? parseCidr(q.ip) : undefined;
  const range = q.range ? parseCidr(q.range) : undefined;
  const out: LapiDecision[] = [];
  for (const d of await enforceableBans(store, now)) {
    const l = toLapi(d, now);
    if (q.type && q.type.toLowerCase() !== l.type) continue;
    if (q.scope && q.scope.toLowerCase() !== l.scope.toLowerCase()) continue;
    if (q.value && q.value !== l.value) continue;
    const r = parseCidr(d.value);
    if (ip && !(r && contains(r, ip))) continue;
    if (range && !(r && contains(r, range))) continue;
    if (!matchesFilter(l, { ...q, scopes: 'ip,range' })) continue;
    out.push(l);
  }
  return out;
}

type Cidr = NonNullable<ReturnType<typeof parseCidr>>;

function contains(outer: Cidr, inner: Cidr): boolean {
  if (outer.addr.kind() !== inner.addr.kind() || inner.bits < outer.bits) return false;
  // Same kind checked above; ipaddr's match() takes a tuple of the same address class.
  return (inner.addr as { match(range: [unknown, number]): boolean }).match([outer.addr, outer.bits]);
}
