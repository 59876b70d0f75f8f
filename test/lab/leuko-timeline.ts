import { existsSync, readFileSync } from 'node:fs';
import type { AttackMeasurement } from './measure.js';

/** One event from leuko-profile-preload (same clock as the lab). */
export type ProfileEvent =
  | { readonly ev: 'watch'; readonly t: number; readonly path: string; readonly name: string | null }
  | { readonly ev: 'spawn'; readonly t: number; readonly pid: number | null; readonly argv: readonly string[] }
  | { readonly ev: 'exit'; readonly t: number; readonly pid: number | null; readonly code: number | null }
  | { readonly ev: 'tx'; readonly t: number; readonly end: number; readonly variant: string }
  | { readonly ev: 'out'; readonly t: number; readonly head: string };

export function readProfile(file: string): ProfileEvent[] {
  if (!existsSync(file)) return [];
  const out: ProfileEvent[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line === '') continue;
    try {
      out.push(JSON.parse(line) as ProfileEvent);
    } catch {
      // a torn last line
    }
  }
  return out;
}

/**
 * Where Leuko's time went between the trigger line and the ban being in force, for one
 * attack, from the profile: each step in ms after the lab's stamper saw the trigger line.
 */
export interface LeukoTimeline {
  readonly attack: string;
  /** Leuko's last inotify wake-up before the detection (negative: before the lab's stamp). */
  readonly wakeMs: number | null;
  /** The detection written to stdout (tail read, parse, scenario, incident grouping). */
  readonly detectedMs: number | null;
  /** The pipeline commit that made the decision durable: start and end. */
  readonly commitMs: readonly [number, number] | null;
  /** Store commits between that one and the nft call (the enforcer's policy verdict, ticks). */
  readonly commitsBetween: number;
  /** Other nft calls (lists: verify, reconcile) started between the commit and the apply. */
  readonly nftListsBetween: number;
  /** The `nft -f -` that added the element: spawned, exited. */
  readonly nftMs: readonly [number, number] | null;
  /** The kernel's element-add notification (the lab's nft monitor). */
  readonly banMs: number;
}

export function leukoTimeline(a: AttackMeasurement, events: readonly ProfileEvent[]): LeukoTimeline | null {
  const t = a.trigger;
  const bannedAt = a.bannedAt;
  if (!t || t.lineAt === null || bannedAt === null) return null;
  const t0 = t.lineAt;
  const rel = (x: number) => x - t0;
  const rule = `"scenario":"${t.rule}"`;
  // The detection as Leuko wrote it (the lab read it from a file a moment later).
  const det = events.filter(
    (e) =>
      e.ev === 'out' &&
      e.head.startsWith('{"type":"detection"') &&
      e.head.includes(rule) &&
      e.head.includes(`"${a.attacker}"`) &&
      e.t >= t0 - 1000 &&
      e.t <= bannedAt,
  )[0];
  const detAt = det?.t ?? t.detectedAt;
  const wake = events.filter((e) => e.ev === 'watch' && e.t <= detAt && e.t >= t0 - 1000).pop();
  const commit = events.find((e) => e.ev === 'tx' && e.t >= detAt && e.t <= bannedAt);
  const from = commit?.ev === 'tx' ? commit.end : detAt;
  const apply = events.find(
    (e) => e.ev === 'spawn' && e.t >= from && e.t <= bannedAt && e.argv.includes('-f') && e.argv[0]?.endsWith('nft'),
  );
  const applyPid = apply?.ev === 'spawn' ? apply.pid : undefined;
  const applyExit = apply ? events.find((e) => e.ev === 'exit' && e.pid === applyPid && e.t >= apply.t) : undefined;
  const until = apply?.t ?? bannedAt;
  const between = events.filter((e) => e.t > from && e.t < until);
  return {
    attack: a.attack,
    wakeMs: wake ? rel(wake.t) : null,
    detectedMs: det ? rel(det.t) : null,
    commitMs: commit?.ev === 'tx' ? [rel(commit.t), rel(commit.end)] : null,
    commitsBetween: between.filter((e) => e.ev === 'tx').length,
    nftListsBetween: between.filter((e) => e.ev === 'spawn' && e.argv.includes('list')).length,
    nftMs: apply ? [rel(apply.t), applyExit ? rel(applyExit.t) : Number.NaN] : null,
    banMs: rel(bannedAt),
  };
}
