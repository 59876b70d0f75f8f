import { formatDurationS } from '../../core/duration.js';
import type { Decision } from '../../core/decision.js';
import { LeukoError } from '../../core/errors.js';
import type { ActionOutcome, ActionPlan, ReconcileReport, Responder, ResponderContext } from '../../core/responder.js';
import type { NftListing } from '../../platform/nft/json.js';
import { isNftNotFound, type Nft } from '../../platform/nft/nft.js';
import { type BanTarget, parseTarget } from '../block-ip/target.js';
import { type IsolationLayout, isolationScript, isolationState } from './ruleset.js';

export interface IsolateHostOptions {
  readonly nft: Nft;
  /** Addresses/CIDRs that keep full access while the host is isolated (the operators' way in). */
  readonly management: readonly string[];
  /** Default `leuko_isolate`: its own table, so rollback is one `delete table`. */
  readonly table?: string;
  /** Hook priority. Default -160, ahead of the ban table's chains. */
  readonly priority?: number;
  /**
   * This host's name. When set, decisions naming another host are skipped (a fleet may route
   * decisions broadly; only the named host isolates itself). `localhost` and `self` always match.
   */
  readonly host?: string;
  /** Reconcile re-arms when the kernel TTL differs from the decision's by more than this. Default 30 s. */
  readonly toleranceMs?: number;
}

export interface IsolateHostResponder extends Responder {
  readonly table: string;
}

const EMPTY: NftListing = { tables: [], sets: [], chains: [], rules: [] };

/**
 * Cuts the host off from everything except loopback and the management addresses. High blast
 * radius: a wrong isolation takes a service down for everyone, so the policy engine must gate
 * it behind approval; this responder also refuses to run with no management address, which
 * would lock the operators out too.
 *
 * @example
 * const r = createIsolateHostResponder({ nft: createNft(), management: ['192.0.2.0/24'] });
 * await r.apply([decision], ctx); // decision: { scope: 'host', action: 'isolate-host', ... }
 */
export function createIsolateHostResponder(options: IsolateHostOptions): IsolateHostResponder {
  const layout: IsolationLayout = {
    family: 'inet',
    table: options.table ?? 'leuko_isolate',
    priority: options.priority ?? -160,
  };
  if (!/^[A-Za-z][A-Za-z0-9_]{0,30}$/.test(layout.table)) {
    throw new LeukoError('CONFIG_INVALID', `invalid nft table name ${layout.table}`);
  }
  const management: BanTarget[] = [];
  for (const m of options.management) {
    const target = parseTarget(m);
    if (!target)
      throw new LeukoError('CONFIG_INVALID', `management address ${JSON.stringify(m)} is not an address or CIDR`);
    management.push(target);
  }
  const { nft } = options;
  const t = `${layout.family} ${layout.table}`;
  const tolerance = options.toleranceMs ?? 30_000;
  const call = (ctx: ResponderContext) => ({ signal: ctx.signal, timeoutMs: ctx.timeoutMs });

  async function list(ctx: ResponderContext): Promise<NftListing> {
    try {
      return await nft.listJson(['table', layout.family, layout.table], call(ctx));
    } catch (e) {
      if (isNftNotFound(e)) return EMPTY;
      throw e;
    }
  }

  /** Why this decision is not for us, or undefined when it is. */
  function refusal(d: Decision, now: number): string | undefined {
    if (d.action !== 'isolate-host' || d.scope !== 'host') return `not a host isolation (${d.scope}/${d.action})`;
    if (options.host !== undefined && d.value !== options.host && d.value !== 'localhost' && d.value !== 'self') {
      return `decision is for host ${d.value}, this is ${options.host}`;
    }
    if (management.length === 0) return 'refused: no management address configured, isolation would lock operators out';
    if (!Number.isFinite(d.expiresAt) || d.expiresAt <= now) return 'already expired';
    return undefined;
  }

  const mgmtText = management.map((m) => m.text).join(', ');

  return {
    type: 'isolate-host',
    actions: ['isolate-host'],
    table: layout.table,

    plan(decision): ActionPlan {
      const base = {
        decisionId: decision.id,
        responder: 'isolate-host',
        reversible: true,
        blastRadius: 'high' as const,
      };
      if (management.length === 0) {
        return { ...base, summary: 'refused: no management address configured', steps: [] };
      }
      const ms = decision.durationS * 1000;
      return {
        ...base,
        summary: `ISOLATE THIS HOST for ${formatDurationS(decision.durationS)}: drop all traffic except loopback and management ${mgmtText}; every other connection, inbound and outbound, is cut`,
        steps: isolationScript(layout, management, ms),
      };
    },

    async apply(decisions, ctx) {
      const now = ctx.clock.now();
      const out = new Map<string, ActionOutcome>();
      let until = 0;
      const chosen: string[] = [];
      for (const d of decisions) {
        const why = refusal(d, now);
        if (why !== undefined) out.set(d.id, { kind: 'skipped', reason: why });
        else {
          chosen.push(d.id);
          until = Math.max(until, d.expiresAt);
        }
      }
      if (chosen.length === 0) return out;
      try {
        // Never shorten an isolation already in force for a longer decision.
        const state = isolationState(layout, await list(ctx));
        if (state.present && state.problems.length === 0) until = Math.max(until, now + state.armedMs);
        await nft.run(isolationScript(layout, management, until - now).join('\n'), call(ctx));
      } catch (e) {
        for (const id of chosen) out.set(id, { kind: 'failed', error: (e as Error).message, retryable: true });
        return out;
      }
      const detail = `host isolated in ${t} for ${formatDurationS((until - now) / 1000)}; management ${mgmtText} still allowed`;
      for (const id of chosen) out.set(id, { kind: 'applied', detail });
      ctx.log('warn', 'isolate-host: host isolated', { decisions: chosen, management: mgmtText });
      return out;
    },

    async verify(_decision, ctx) {
      const state = isolationState(layout, await list(ctx));
      if (!state.present) return { inForce: false, reason: `${t} is absent` };
      if (state.problems.length > 0) return { inForce: false, reason: state.problems.join('; ') };
      const missing = management.filter((m) => !state.management.includes(m.text)).map((m) => m.text);
      if (missing.length > 0) return { inForce: false, reason: `management ${missing.join(', ')} not allowed in ${t}` };
      return {
        inForce: true,
        detail: `isolated; lifts in ${formatDurationS(state.armedMs / 1000)}; management ${mgmtText}`,
      };
    },

    async rollback(decisions, ctx) {
      const out = new Map<string, ActionOutcome>();
      let present: boolean;
      try {
        present = isolationState(layout, await list(ctx)).present;
        // add + delete: succeeds even if the table vanished since the listing.
        if (present) await nft.run(`add table ${t}\ndelete table ${t}`, call(ctx));
      } catch (e) {
        for (const d of decisions) out.set(d.id, { kind: 'failed', error: (e as Error).message, retryable: true });
        return out;
      }
      for (const d of decisions) {
        out.set(
          d.id,
          present ? { kind: 'applied', detail: `${t} deleted` } : { kind: 'skipped', reason: `${t} is absent` },
        );
      }
      return out;
    },

    async reconcile(live, ctx): Promise<ReconcileReport> {
      const now = ctx.clock.now();
      const wanted = live.filter((d) => refusal(d, now) === undefined);
      const state = isolationState(layout, await list(ctx));
      try {
        if (wanted.length === 0) {
          if (!state.present) return { added: 0, removed: 0, drift: 0, errors: [] };
          await nft.run(`add table ${t}\ndelete table ${t}`, call(ctx));
          return { added: 0, removed: 1, drift: 1, errors: [] };
        }
        const until = Math.max(...wanted.map((d) => d.expiresAt));
        const rightMgmt = management.every((m) => state.management.includes(m.text));
        const healthy =
          state.present &&
          state.problems.length === 0 &&
          rightMgmt &&
          Math.abs(state.armedMs - (until - now)) <= tolerance;
        if (healthy) return { added: 0, removed: 0, drift: 0, errors: [] };
        await nft.run(isolationScript(layout, management, until - now).join('\n'), call(ctx));
        return { added: 1, removed: 0, drift: 1, errors: [] };
      } catch (e) {
        return { added: 0, removed: 0, drift: 0, errors: [(e as Error).message] };
      }
    },
  };
}
