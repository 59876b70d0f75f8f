/**
 * FIFO of received messages between the network callbacks and the emit loop. Bounded: at
 * `max` it calls `onFull` (the source pauses its TCP sockets) and refuses items that may be
 * dropped (UDP); when drained to half it calls `onRoom`. Items that may not be dropped (the
 * rest of a TCP chunk already read) are still accepted past `max`: at most one chunk per
 * connection, since paused sockets deliver nothing more.
 */
export interface MessageQueue {
  readonly size: number;
  readonly full: boolean;
  /** False when the queue is full and `mayExceed` is not set: the item was dropped. */
  push(item: string, mayExceed?: boolean): boolean;
  take(max: number): string[];
  /** Resolves once there is something to take, or the signal aborts. */
  waitForItems(signal: AbortSignal): Promise<void>;
}

export function createMessageQueue(opts: { max: number; onFull(): void; onRoom(): void }): MessageQueue {
  let items: string[] = [];
  let head = 0;
  let paused = false;
  let waiter: (() => void) | null = null;
  const size = () => items.length - head;

  return {
    get size() {
      return size();
    },
    get full() {
      return size() >= opts.max;
    },
    push(item, mayExceed = false) {
      if (size() >= opts.max && !mayExceed) return false;
      items.push(item);
      if (!paused && size() >= opts.max) {
        paused = true;
        opts.onFull();
      }
      waiter?.();
      return true;
    },
    take(max) {
      const out = items.slice(head, head + max);
      head += out.length;
      if (head === items.length) {
        items = [];
        head = 0;
      } else if (head > 4096 && head * 2 > items.length) {
        items = items.slice(head);
        head = 0;
      }
      if (paused && size() <= opts.max / 2) {
        paused = false;
        opts.onRoom();
      }
      return out;
    },
    waitForItems(signal) {
      if (size() > 0 || signal.aborted) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const done = () => {
          waiter = null;
          signal.removeEventListener('abort', done);
          resolve();
        };
        waiter = done;
        signal.addEventListener('abort', done, { once: true });
      });
    },
  };
}
