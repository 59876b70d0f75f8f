import { randomBytes } from 'node:crypto';

/** Injected id generation, so tests can pin ids. */
export interface IdGenerator {
  next(prefix: string): string;
}

/** Time-ordered, collision-resistant ids: `dec_0190f3c2a1b4_9f8e7d6c`. */
export function createIdGenerator(clock: { now(): number } = { now: () => Date.now() }): IdGenerator {
  return {
    next(prefix) {
      return `${prefix}_${clock.now().toString(16).padStart(12, '0')}_${randomBytes(5).toString('hex')}`;
    },
  };
}

/** Deterministic ids for tests and golden files. */
export function createSequentialIds(): IdGenerator {
  let n = 0;
  return { next: (prefix) => `${prefix}_${String(++n).padStart(6, '0')}` };
}
