import { randomBytes } from 'node:crypto';

/** Injected id generation, so tests can pin ids. */
export interface IdGenerator {
  next(prefix: string): string;
}

/**
 * Time-ordered, collision-resistant ids: `dec_0190f3c2a1b4_9f8e7d6c2a`. Random bytes are drawn
 * 4 KiB at a time: one `randomBytes` call per id showed up in replay profiles.
 */
export function createIdGenerator(clock: { now(): number } = { now: () => Date.now() }): IdGenerator {
  let pool = randomBytes(4096);
  let at = 0;
  return {
    next(prefix) {
      if (at + 5 > pool.length) {
        pool = randomBytes(4096);
        at = 0;
      }
      const rand = pool.toString('hex', at, at + 5);
      at += 5;
      return `${prefix}_${clock.now().toString(16).padStart(12, '0')}_${rand}`;
    },
  };
}

/** Deterministic ids for tests and golden files. */
export function createSequentialIds(): IdGenerator {
  let n = 0;
  return { next: (prefix) => `${prefix}_${String(++n).padStart(6, '0')}` };
}
