import { type FeatureSpec, untransform } from './features.js';

export interface FeatureReport {
  readonly feature: string;
  readonly value: number;
  readonly median: number;
  readonly low: number;
  readonly high: number;
  readonly z: number;
  readonly contribution: number;
  /** The entity's own baseline, when it has one. */
  readonly own?: number;
  /** Robust scales beyond what ordinary windows reach on this feature, when beyond at all. */
  readonly excess?: number;
}

const fmt = (f: FeatureSpec, v: number): string =>
  f.kind === 'ratio' ? v.toFixed(2) : Math.round(v).toLocaleString('en-US');

/** Build the per-feature reports for the features that drove the score, largest first. */
export function featureReports(
  specs: readonly FeatureSpec[],
  raw: readonly number[],
  medians: readonly number[],
  scales: readonly number[],
  z: readonly number[],
  contributions: readonly number[],
  own: readonly (number | undefined)[],
  excess: readonly number[] = [],
): FeatureReport[] {
  const out: FeatureReport[] = [];
  for (let i = 0; i < specs.length; i++) {
    const c = contributions[i] ?? 0;
    if (c <= 0) continue;
    const f = specs[i] as FeatureSpec;
    const m = medians[i] ?? 0;
    const s = scales[i] ?? 0;
    const o = own[i];
    const x = excess[i] ?? 0;
    out.push({
      feature: f.name,
      value: raw[i] ?? 0,
      median: untransform(f, m),
      low: Math.max(0, untransform(f, m - s)),
      high: untransform(f, m + s),
      z: z[i] ?? 0,
      contribution: c,
      ...(o === undefined ? {} : { own: untransform(f, o) }),
      ...(x > 0 ? { excess: x } : {}),
    });
  }
  return out.sort((a, b) => b.contribution - a.contribution);
}

/**
 * "distinct_paths 1,240 vs median 6 (typical 3–11, own baseline 5, 7.2 scales past the ordinary
 * extreme): +0.41". Ratios with two decimals, counts as integers.
 */
export function describeFeature(spec: FeatureSpec, r: FeatureReport): string {
  const own = r.own === undefined ? '' : `, own baseline ${fmt(spec, r.own)}`;
  const past =
    r.excess === undefined || r.excess < 0.1 ? '' : `, ${r.excess.toFixed(1)} scales past the ordinary extreme`;
  return `${r.feature} ${fmt(spec, r.value)} vs median ${fmt(spec, r.median)} (typical ${fmt(spec, r.low)}–${fmt(spec, r.high)}${own}${past}): +${r.contribution.toFixed(2)}`;
}
