import ipaddr from 'ipaddr.js';
import type { FileTruth } from '../generate/index.js';

/** A ban as the scorer sees it: one address, or a CIDR range. */
export interface BanRef {
  readonly scope: string;
  readonly value: string;
}

export interface KindRecall {
  readonly total: number;
  readonly caught: number;
}

export interface Score {
  readonly decisions: number;
  /** Distinct addresses banned (a range counts every ground-truth address it covers). */
  readonly banned: number;
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly precision: number;
  readonly recall: number;
  /** Benign addresses a decision covered: must be empty. */
  readonly benignBanned: readonly string[];
  /** Banned addresses that are in neither list (an address misread from a line, say). */
  readonly unknownBanned: readonly string[];
  readonly perKind: Readonly<Record<string, KindRecall>>;
  /** Decisions with a scope other than ip or range (user, ...), not scored. */
  readonly otherScopes: number;
}

/** Canonical text of an address, so `::ffff:1.2.3.4` and `1.2.3.4` compare equal. */
export function canonicalIp(text: string): string | undefined {
  try {
    return ipaddr.process(text.trim()).toString();
  } catch {
    return undefined;
  }
}

/**
 * Precision and recall of bans against the ground truth, on distinct addresses. A range
 * decision covering no known address still counts as one false positive.
 */
export function scoreBans(truth: FileTruth, bans: readonly BanRef[]): Score {
  const attackerKind = new Map<string, string>();
  for (const a of truth.attackers) attackerKind.set(canonicalIp(a.ip) ?? a.ip, a.kind);
  const benign = new Set(truth.benign.map((b) => canonicalIp(b) ?? b));
  const known = [...attackerKind.keys(), ...benign];
  const banned = new Set<string>();
  let emptyRanges = 0;
  let otherScopes = 0;
  for (const d of bans) {
    if (d.scope === 'ip') {
      banned.add(canonicalIp(d.value) ?? d.value);
    } else if (d.scope === 'range') {
      let covered = 0;
      try {
        const [net, bits] = ipaddr.parseCIDR(d.value);
        for (const k of known) {
          const addr = ipaddr.parse(k);
          if (addr.kind() === net.kind() && addr.match(net, bits)) {
            banned.add(k);
            covered++;
          }
        }
      } catch {
        // An unparsable range is a wrong decision.
      }
      if (covered === 0) emptyRanges++;
    } else {
      otherScopes++;
    }
  }
  const perKind: Record<string, { total: number; caught: number }> = {};
  for (const kind of attackerKind.values()) {
    const k = (perKind[kind] ??= { total: 0, caught: 0 });
    k.total++;
  }
  let tp = 0;
  const benignBanned: string[] = [];
  const unknownBanned: string[] = [];
  for (const ip of banned) {
    const kind = attackerKind.get(ip);
    if (kind !== undefined) {
      tp++;
      (perKind[kind] as { caught: number }).caught++;
    } else if (benign.has(ip)) benignBanned.push(ip);
    else unknownBanned.push(ip);
  }
  const fp = benignBanned.length + unknownBanned.length + emptyRanges;
  return {
    decisions: bans.length,
    banned: banned.size,
    truePositives: tp,
    falsePositives: fp,
    precision: tp + fp === 0 ? 1 : tp / (tp + fp),
    recall: attackerKind.size === 0 ? 1 : tp / attackerKind.size,
    benignBanned: benignBanned.sort(),
    unknownBanned: unknownBanned.sort(),
    perKind,
    otherScopes,
  };
}
