import { formatDurationS } from '../../core/duration.js';
import type { Decision } from '../../core/decision.js';
import type { ActionOutcome, ActionPlan, ReconcileReport, Responder, ResponderContext } from '../../core/responder.js';
import type { NftListing } from '../../platform/nft/json.js';
import { isNftNotFound, type Nft, type NftCallOptions } from '../../platform/nft/nft.js';
import { type ElementResult, planAddressSet, planRangeSet } from './apply-plan.js';
import { createGuard, isBanDecision, type Selected, select, type Wanted, wantedSets } from './desired.js';
import { diffAll } from './diff.js';
import { isInterval, type Layout, SET_NAMES, type SetName, setFor, tableRef } from './layout.js';
import { elementsOf, findCovering, type PresentElement, type Snapshot, snapshotFrom } from './snapshot.js';
import { refreshStatements, removeStatements, timeoutSeconds } from './statements.js';
import { parseTarget } from './target.js';

export interface NftablesResponderOptions {
  /** Default `leuko`. Leuko never touches any other table. */
  readonly table?: string;
  readonly family?: 'inet';
  readonly nft: Nft;
  /** The policy allowlist, asked again before every add: true means never ban this address/CIDR. */
  readonly protect?: (addr: string) => boolean;
  /** Hook priority of the input/forward chains. Default -150. */
  readonly priority?: number;
  /** How far an element's kernel expiry may differ from its decision's before it is re-set. Default 5 s. */
  readonly toleranceMs?: number;
}

export interface NftablesResponder extends Responder {
  readonly layout: Layout;
  /** Delete Leuko's table and every ban in it (uninstall; tests). */
  removeTable(ctx: ResponderContext): Promise<void>;
}

const EMPTY: NftListing = { tables: [], sets: [], chains: [], rules: [] };

/**
 * Bans addresses and ranges with nftables: Leuko's own table (`inet leuko`) holds timeout sets
 * (ban4/ban6 for addresses, range4/range6 for CIDRs) that input and forward chains drop, so a
 * ban's TTL is carried by the kernel and lapses on time even while Leuko is down. Every change
 * is one `nft -f` transaction per call, never a process per element.
 *
 * @example
 * const responder = createNftablesResponder({ nft: createNft(), protect: (a) => allowlist.match(a) !== undefined });
 * await responder.start?.(ctx);
 * await responder.apply([decision], ctx);
 */
export function createNftablesResponder(options: NftablesResponderOptions): NftablesResponder {
  const layout: Layout = {
    family: options.family ?? 'inet',
    table: options.table ?? 'leuko',
    priority: options.priority ?? -150,
  };
  if (!/^[A-Za-z][A-Za-z0-9_]{0,30}$/.test(layout.table)) throw new TypeError(`invalid nft table name ${layout.table}`);
  const { nft } = options;
  const guard = createGuard(options.protect);
  const tolerance = options.toleranceMs ?? 5000;
  const t = tableRef(layout);
  /** What this responder last wrote: `set text` -> absolute expiry (ms, ctx clock). */
  const known = new Map<string, number>();
  const knownKey = (set: SetName, text: string) => `${set} ${text}`;

  // Mutations are serialised: a reconcile diffing while an apply writes would undo the apply.
  let queue: Promise<unknown> = Promise.resolve();
  function serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = queue.then(fn, fn);
    queue = next.catch(() => undefined);
    return next;
  }

  const call = (ctx: ResponderContext): NftCallOptions => ({ signal: ctx.signal, timeoutMs: ctx.timeoutMs });

  async function listTable(ctx: ResponderContext): Promise<NftListing> {
    try {
      return await nft.listJson(['table', layout.family, layout.table], call(ctx));
    } catch (e) {
      if (isNftNotFound(e)) return EMPTY;
      throw e;
    }
  }

  // Concurrent verify calls share one listing (a burst of verifies after a big apply).
  let inflight: Promise<NftListing> | undefined;
  function sharedListing(ctx: ResponderContext): Promise<NftListing> {
    inflight ??= listTable(ctx).finally(() => {
      inflight = undefined;
    });
    return inflight;
  }

  async function ensureStructure(ctx: ResponderContext): Promise<Snapshot> {
    const snapshot = snapshotFrom(layout, await listTable(ctx));
    if (snapshot.repair.length > 0) {
      ctx.log('info', `nftables: creating or repairing ${t}`, { problems: snapshot.problems });
      await nft.run(snapshot.repair.join('\n'), call(ctx));
    }
    return snapshot;
  }

  async function rangePresent(ctx: ResponderContext, set: SetName): Promise<Map<string, PresentElement>> {
    try {
      const listing = await nft.listJson(['set', layout.family, layout.table, set], call(ctx));
      return elementsOf(layout, listing, set).elements;
    } catch (e) {
      if (!isNftNotFound(e)) throw e;
      await ensureStructure(ctx);
      return new Map();
    }
  }

  function detail(set: SetName, w: Wanted, r: ElementResult | undefined): string {
    const ttl = formatDurationS(timeoutSeconds(w.remainingMs));
    switch (r?.kind) {
      case 'covered':
        return `${w.target.text} already dropped: inside ${r.by} in ${set}`;
      case 'unchanged':
        return `${w.target.text} already in ${set}`;
      case 'refreshed':
        return `${w.target.text} in ${set}, timeout reset to ${ttl}`;
      default:
        return `${w.target.text} added to ${set} with timeout ${ttl}`;
    }
  }

  async function applyBatch(decisions: readonly Decision[], ctx: ResponderContext) {
    const now = ctx.clock.now();
    const out = new Map<string, ActionOutcome>();
    const selected = new Map<string, Selected>();
    for (const d of decisions) {
      const s = select(d, now, guard);
      selected.set(d.id, s);
      if (s.kind === 'invalid') out.set(d.id, { kind: 'failed', error: s.reason, retryable: false });
      else if (s.kind === 'expired') out.set(d.id, { kind: 'skipped', reason: 'already expired' });
      else if (s.kind === 'refused') {
        out.set(d.id, { kind: 'skipped', reason: s.reason });
        ctx.log('warn', `nftables: refused to ban ${d.value}`, { decision: d.id, reason: s.reason });
      }
    }
    const { wanted, coveredBy } = wantedSets(selected.values());
    const results = new Map<string, ElementResult>();
    const build = async () => {
      const statements: string[] = [];
      results.clear();
      for (const set of SET_NAMES) {
        const items = [...(wanted.get(set)?.values() ?? [])];
        if (items.length === 0) continue;
        const plan = isInterval(set)
          ? planRangeSet(layout, set, items, await rangePresent(ctx, set), tolerance)
          : planAddressSet(layout, set, items, (s, k) => known.get(knownKey(s, k)), now, tolerance);
        statements.push(...plan.statements);
        for (const [k, r] of plan.results) results.set(`${set} ${k}`, r);
      }
      return statements.join('\n');
    };
    try {
      const script = await build();
      if (script !== '') {
        try {
          await nft.run(script, call(ctx));
        } catch {
          // The table was flushed away under us, or a listed range expired before we deleted
          // it: repair the structure, list again, and try once more.
          await ensureStructure(ctx);
          await nft.run(await build(), call(ctx));
        }
      }
    } catch (e) {
      const error = (e as Error).message;
      for (const [id, s] of selected) if (s.kind === 'wanted') out.set(id, { kind: 'failed', error, retryable: true });
      return out;
    }
    for (const set of SET_NAMES) {
      for (const w of wanted.get(set)?.values() ?? []) {
        const key = knownKey(set, w.target.text);
        known.set(key, Math.max(known.get(key) ?? 0, now + w.remainingMs));
      }
    }
    for (const [id, s] of selected) {
      if (s.kind !== 'wanted') continue;
      const outer = coveredBy.get(s.target.text);
      const text = outer
        ? `${s.target.text} already dropped: inside ${outer}, banned in the same batch`
        : detail(s.set, { target: s.target, remainingMs: s.remainingMs }, results.get(`${s.set} ${s.target.text}`));
      out.set(id, { kind: 'applied', detail: text });
    }
    return out;
  }

  async function rollbackBatch(decisions: readonly Decision[], ctx: ResponderContext) {
    const out = new Map<string, ActionOutcome>();
    let removing: [string, SetName, string][] = [];
    const build = async () => {
      const snapshot = snapshotFrom(layout, await listTable(ctx));
      const remove = new Map<SetName, PresentElement[]>();
      removing = [];
      for (const d of decisions) {
        const target = isBanDecision(d) ? parseTarget(d.value) : undefined;
        if (!target) {
          out.set(d.id, {
            kind: 'skipped',
            reason: `nothing to undo: ${String(d.value).slice(0, 80)} is not a banned address`,
          });
          continue;
        }
        const set = setFor(target);
        const exact = snapshot.present.get(set)?.get(target.text);
        if (exact) {
          if (!remove.has(set)) remove.set(set, []);
          if (!removing.some(([, s, t]) => s === set && t === target.text)) remove.get(set)!.push(exact);
          removing.push([d.id, set, target.text]);
          out.delete(d.id);
          continue;
        }
        const cover = findCovering(snapshot, target.family === 4 ? ['range4'] : ['range6'], target);
        out.set(d.id, {
          kind: 'skipped',
          reason: cover
            ? `${target.text} is not in ${set}; it is still dropped by ${cover.element.target.text}, another ban`
            : `${target.text} is not in ${set}`,
        });
      }
      return [...remove]
        .flatMap(([set, els]) =>
          removeStatements(
            layout,
            set,
            els.map((p) => p.target),
          ),
        )
        .join('\n');
    };
    try {
      const script = await build();
      if (script !== '') {
        // A range that expired between the listing and the delete fails the batch: list again.
        await nft.run(script, call(ctx)).catch(async () => {
          const again = await build();
          if (again !== '') await nft.run(again, call(ctx));
        });
      }
    } catch (e) {
      for (const [id] of removing) out.set(id, { kind: 'failed', error: (e as Error).message, retryable: true });
      return out;
    }
    for (const [id, set, text] of removing) {
      known.delete(knownKey(set, text));
      out.set(id, { kind: 'applied', detail: `${text} removed from ${set}` });
    }
    return out;
  }

  async function reconcilePass(live: readonly Decision[], ctx: ResponderContext): Promise<ReconcileReport> {
    const now = ctx.clock.now();
    const snapshot = snapshotFrom(layout, await listTable(ctx));
    const selected: Selected[] = [];
    let refused = 0;
    for (const d of live) {
      if (!isBanDecision(d)) continue;
      const s = select(d, now, guard);
      if (s.kind === 'refused') refused++;
      selected.push(s);
    }
    if (refused > 0) ctx.log('warn', `nftables: ${refused} live ban(s) refused by the never-ban list or allowlist`);
    const { wanted } = wantedSets(selected);
    const diffs = diffAll(layout, snapshot, wanted, tolerance);
    const units = [...diffs.values()].filter((d) => d.statements.length > 0);
    const errors: string[] = [];
    let added = 0;
    let removed = 0;
    if (snapshot.repair.length === 0 && units.length === 0) return { added, removed, drift: 0, errors };

    const count = (d: { added: number; refreshed: number; removed: number }) => {
      added += d.added + d.refreshed;
      removed += d.removed;
    };
    try {
      await nft.run([...snapshot.repair, ...units.flatMap((u) => u.statements)].join('\n'), call(ctx));
      units.forEach(count);
    } catch (e) {
      // One bad set must not keep the others unenforced: retry structure and each set alone.
      errors.push((e as Error).message);
      try {
        if (snapshot.repair.length > 0) await nft.run(snapshot.repair.join('\n'), call(ctx));
        for (const u of units) {
          try {
            await nft.run(u.statements.join('\n'), call(ctx));
            count(u);
          } catch (inner) {
            errors.push((inner as Error).message);
          }
        }
      } catch (repairError) {
        errors.push((repairError as Error).message);
      }
    }
    known.clear();
    for (const set of SET_NAMES) {
      for (const w of wanted.get(set)?.values() ?? []) known.set(knownKey(set, w.target.text), now + w.remainingMs);
    }
    if (added + removed > 0 || snapshot.problems.length > 0) {
      ctx.log('info', `nftables: reconciled ${t}`, { added, removed, problems: snapshot.problems });
    }
    return { added, removed, drift: added + removed, errors };
  }

  return {
    type: 'nftables',
    actions: ['ban'],
    layout,

    async start(ctx) {
      await serial(() => ensureStructure(ctx));
    },

    plan(decision): ActionPlan {
      const base = { decisionId: decision.id, responder: 'nftables', reversible: true };
      const target = isBanDecision(decision) ? parseTarget(decision.value) : undefined;
      if (!target || (decision.scope === 'ip' && !target.single)) {
        return {
          ...base,
          summary: `nothing: ${String(decision.value).slice(0, 80)} is not an address or CIDR to ban`,
          steps: [],
          blastRadius: 'low',
        };
      }
      const refused = guard(target);
      if (refused !== undefined) return { ...base, summary: `refused: ${refused}`, steps: [], blastRadius: 'low' };
      const set = setFor(target);
      const ms = decision.durationS * 1000;
      const item = [{ target, remainingMs: ms }];
      const steps = isInterval(set)
        ? [
            `add element ${t} ${set} { ${target.text} timeout ${timeoutSeconds(ms)}s }`,
            `(ranges already in ${set} inside ${target.text} are removed first, in the same transaction)`,
          ]
        : refreshStatements(layout, set, item);
      const wide = !target.single;
      return {
        ...base,
        summary: `add ${target.text} to ${t} ${set} with timeout ${formatDurationS(timeoutSeconds(ms))} (remaining TTL at apply time)`,
        steps,
        // A range can hold many innocent hosts: never rate it lower than medium.
        blastRadius: wide && decision.blastRadius === 'low' ? 'medium' : decision.blastRadius,
      };
    },

    apply: (decisions, ctx) => serial(() => applyBatch(decisions, ctx)),
    rollback: (decisions, ctx) => serial(() => rollbackBatch(decisions, ctx)),
    reconcile: (live, ctx) => serial(() => reconcilePass(live, ctx)),

    async verify(decision, ctx) {
      const target = isBanDecision(decision) ? parseTarget(decision.value) : undefined;
      if (!target) return { inForce: false, reason: `${String(decision.value).slice(0, 80)} is not a banned address` };
      const snapshot = snapshotFrom(layout, await sharedListing(ctx));
      if (snapshot.problems.length > 0) {
        return { inForce: false, reason: `${t} is not intact: ${snapshot.problems.join('; ')}` };
      }
      const sets: SetName[] = target.family === 4 ? ['ban4', 'range4'] : ['ban6', 'range6'];
      const hit = findCovering(snapshot, target.single ? sets : sets.slice(1), target);
      if (!hit) return { inForce: false, reason: `${target.text} is not in ${setFor(target)}` };
      const el = hit.element;
      const parts = [
        el.target.text === target.text
          ? `${target.text} in ${hit.set}`
          : `${target.text} inside ${el.target.text} in ${hit.set}`,
        el.expiresMs === undefined ? 'no timeout' : `expires in ${formatDurationS(el.expiresMs / 1000)}`,
      ];
      if (el.packets !== undefined) parts.push(`${el.packets} packets dropped`);
      return { inForce: true, detail: parts.join(', ') };
    },

    removeTable: (ctx) =>
      serial(async () => {
        known.clear();
        // add-then-delete: succeeds whether or not the table exists.
        await nft.run(`add table ${t}\ndelete table ${t}`, call(ctx));
      }),
  };
}
