import { type CorrelationFiring, CorrelationRuntime, type MatchedRule } from './correlate.js';
import { EventView, type FlatRecord } from './event-view.js';
import type { SigmaRule } from './rule.js';
import type { SigmaRuleSet } from './load.js';
import { LiteralSet } from './aho.js';

export interface SigmaResult {
  readonly rules: readonly SigmaRule[];
  readonly correlations: readonly CorrelationFiring[];
}

export interface SigmaEngineOptions {
  /**
   * `true` (the pipeline): a rule only sees events of its logsource, and rules whose
   * logsource we cannot feed never run. `false` (`leuko rules test`): every rule sees every
   * event, matching raw field names first.
   */
  readonly gateByLogsource: boolean;
}

const EMPTY: SigmaResult = { rules: [], correlations: [] };

/**
 * Evaluates compiled Sigma rules against events, in rule load order, and feeds the matches
 * to the correlation runtime.
 *
 * @example
 * const engine = new SigmaEngine(loadSigmaRules(['rules/sigma'], { placeholders: {} }), { gateByLogsource: true });
 * engine.evaluate(event, Date.parse(event['@timestamp'])).rules.map((r) => r.id);
 */
export class SigmaEngine {
  readonly correlation: CorrelationRuntime;
  private readonly active: readonly SigmaRule[];
  private readonly literals: LiteralSet;
  /** Per rule: literal ids of its prefilter, or null (always evaluate). */
  private readonly ruleLits = new Map<SigmaRule, Uint32Array | null>();
  private readonly found: Uint32Array;
  private stamp = 0;
  /** Rules grouped by logsource route (in first-appearance order) for gated evaluation. */
  private readonly groups: readonly { readonly route: SigmaRule['route']; readonly rules: readonly SigmaRule[] }[];

  constructor(
    readonly set: SigmaRuleSet,
    private readonly opts: SigmaEngineOptions,
  ) {
    this.active = opts.gateByLogsource ? set.rules.filter((r) => r.route.fed) : set.rules;
    this.correlation = new CorrelationRuntime(set.correlations);
    const byRoute = new Map<SigmaRule['route'], SigmaRule[]>();
    for (const r of this.active) {
      const list = byRoute.get(r.route);
      if (list) list.push(r);
      else byRoute.set(r.route, [r]);
    }
    this.groups = [...byRoute].map(([route, rules]) => ({ route, rules }));
    this.literals = new LiteralSet(this.active.flatMap((r) => r.literals ?? []));
    for (const r of this.active)
      this.ruleLits.set(
        r,
        r.literals === null ? null : Uint32Array.from(r.literals.map((l) => this.literals.ids.get(l)!)),
      );
    this.found = new Uint32Array(Math.max(1, this.literals.ids.size));
  }

  private readonly ranks = new Map<SigmaRule, number>();

  private rank(r: SigmaRule): number {
    if (this.ranks.size === 0) for (const [i, x] of this.active.entries()) this.ranks.set(x, i);
    return this.ranks.get(r) ?? 0;
  }

  evaluate(rec: FlatRecord, time: number): SigmaResult {
    const view = new EventView(rec);
    let hits: SigmaRule[] | undefined;
    if (this.opts.gateByLogsource) {
      let scanned = false;
      const found = this.found;
      for (const g of this.groups) {
        if (!g.route.accepts(rec)) continue;
        for (const rule of g.rules) {
          const lits = this.ruleLits.get(rule);
          if (lits) {
            if (!scanned) {
              // One Aho-Corasick pass per event marks every literal present (stamp = this event).
              this.stamp = (this.stamp + 1) >>> 0;
              if (this.stamp === 0) {
                found.fill(0);
                this.stamp = 1;
              }
              this.literals.scan(view.haystack(), found, this.stamp);
              scanned = true;
            }
            let any = false;
            for (let i = 0; i < lits.length; i++)
              if (found[lits[i]!] === this.stamp) {
                any = true;
                break;
              }
            if (!any) continue;
          }
          if (rule.match(view)) (hits ??= []).push(rule);
        }
      }
      // Groups change the order; report matches in rule load order all the same.
      if (hits && hits.length > 1) hits.sort((a, b) => this.rank(a) - this.rank(b));
    } else {
      for (const rule of this.active) if (rule.match(view)) (hits ??= []).push(rule);
    }
    if (!hits) return EMPTY;
    if (this.correlation.size === 0) return { rules: hits, correlations: [] };
    const matched: MatchedRule[] = hits.map((r) => ({
      refs: r.name ? [r.id, r.name] : [r.id],
      fieldKeys: r.fieldKeys,
    }));
    return { rules: hits, correlations: this.correlation.feed(matched, view, time) };
  }
}
