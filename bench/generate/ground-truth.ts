import type { LineSink } from './line-sink.js';

export type SshdAttackKind =
  | 'fast-bruteforce'
  | 'slow-bruteforce'
  | 'user-enumeration'
  | 'key-probe'
  | 'botnet'
  | 'injection';

export type NginxAttackKind =
  | 'probe-404'
  | 'sensitive-files'
  | 'sqli'
  | 'xss'
  | 'traversal'
  | 'log4shell'
  | 'cmdi'
  | 'bad-ua'
  | 'wp-bruteforce';

export type AttackKind = SshdAttackKind | NginxAttackKind;

/** One attacking address and what it did. */
export interface AttackerTruth {
  readonly ip: string;
  readonly kind: AttackKind;
  /** Lines the actor wrote (some sshd lines, e.g. `check pass; user unknown`, carry no address). */
  readonly lines: number;
  /** Authentication attempts (sshd) or hostile requests (nginx). */
  readonly attempts: number;
  readonly firstSeen: string;
  readonly lastSeen: string;
}

export interface FileTruth {
  readonly format: 'sshd' | 'nginx';
  /** File name inside the output folder. */
  readonly file: string;
  readonly lines: number;
  readonly bytes: number;
  readonly attackers: readonly AttackerTruth[];
  /** Addresses that only ever behaved; no decision may name them. */
  readonly benign: readonly string[];
  /** Benign addresses written inside attacker-controlled text (user names, query strings). */
  readonly embedded: readonly string[];
}

export interface GroundTruth {
  readonly version: 1;
  readonly seed: string;
  /** ISO time of the first second of the log window (UTC). */
  readonly start: string;
  readonly hours: number;
  readonly files: { readonly sshd?: FileTruth; readonly nginx?: FileTruth };
}

/** Counts what one actor writes, for its ground-truth record. */
export interface ActorLog {
  readonly ip: string;
  lines: number;
  attempts: number;
  first: number;
  last: number;
  emit(time: number, before: string, after: string): void;
}

export function createActorLog(sink: LineSink, ip: string): ActorLog {
  const log: ActorLog = {
    ip,
    lines: 0,
    attempts: 0,
    first: Number.POSITIVE_INFINITY,
    last: Number.NEGATIVE_INFINITY,
    emit(time, before, after) {
      sink.push(time, before, after);
      log.lines++;
      if (time < log.first) log.first = time;
      if (time > log.last) log.last = time;
    },
  };
  return log;
}

export function attackerTruth(log: ActorLog, kind: AttackKind): AttackerTruth {
  return {
    ip: log.ip,
    kind,
    lines: log.lines,
    attempts: log.attempts,
    firstSeen: new Date(Math.floor(log.first / 1000) * 1000).toISOString(),
    lastSeen: new Date(Math.floor(log.last / 1000) * 1000).toISOString(),
  };
}

/**
 * Make actors until they have written `budget` lines (at least one actor, so every kind shows
 * up even in a small file). `makeOne` receives the lines still left in the budget.
 */
export function fillBudget(sink: LineSink, budget: number, makeOne: (remaining: number) => void): void {
  const before = sink.count;
  do {
    const mark = sink.count;
    makeOne(budget - (sink.count - before));
    if (sink.count === mark) throw new Error('an actor wrote no line');
  } while (sink.count - before < budget);
}
