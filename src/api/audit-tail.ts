import type { AuditRecord } from '../core/audit.js';
import type { Store } from '../core/store.js';

export type AuditListener = (records: readonly AuditRecord[]) => void;

/**
 * Follows the audit log: every detection, incident, decision step, approval and healing action
 * is an audit record, written in the same transaction as the thing it records. Tailing it (by
 * sequence number) gives the live stream, the metrics and the exports one ordered, durable feed,
 * with no hook into the pipeline and nothing shown that was not committed.
 */
export function createAuditTail(deps: {
  store: Store;
  /** Sequence number to start after (the head at start-up: only new records are streamed). */
  startAfter: number;
  intervalMs?: number;
  onError?: (err: unknown) => void;
}) {
  const listeners = new Set<AuditListener>();
  let after = deps.startAfter;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  async function poll(): Promise<void> {
    // Drain in pages so a burst (100k records) is delivered without one huge read.
    for (let page = 0; page < 20; page++) {
      const records = await deps.store.listAudit({ afterSeq: after, limit: 1000 });
      if (records.length === 0) return;
      after = records.at(-1)?.seq ?? after;
      for (const l of listeners) {
        try {
          l(records);
        } catch (err) {
          deps.onError?.(err);
        }
      }
      if (records.length < 1000) return;
    }
  }

  return {
    subscribe(l: AuditListener): () => void {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    get lastSeq() {
      return after;
    },
    /** One poll now (tests; the timer does it otherwise). */
    poll: () => (running ??= poll().finally(() => (running = undefined))),
    start() {
      timer ??= setInterval(() => {
        if (!running)
          void (running = poll()
            .catch((err) => deps.onError?.(err))
            .finally(() => (running = undefined)));
      }, deps.intervalMs ?? 500);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}

export type AuditTail = ReturnType<typeof createAuditTail>;

/** Highest audit sequence number now (0 for an empty log). */
export function auditHeadSeq(db: { prepare(sql: string): { get(): unknown } }): number {
  const row = db.prepare('SELECT seq FROM audit_head WHERE id = 1').get() as { seq: number } | undefined;
  return Number(row?.seq ?? 0);
}
