import type { WindowAcc } from './features.js';

/**
 * One model's open windows by entity, with the last one looked up kept at hand. Lines of one
 * entity come in runs (an ssh attempt logs its failure, the PAM line and the disconnect from
 * the same address and user): the run's later lines find their window by one string compare
 * instead of hashing a freshly parsed key for the map.
 */
export class OpenWindows {
  private readonly byKey = new Map<string, WindowAcc>();
  private lastKey: string | undefined = undefined;
  private lastWindow: WindowAcc | undefined = undefined;

  get size(): number {
    return this.byKey.size;
  }

  get(key: string): WindowAcc | undefined {
    if (key === this.lastKey) return this.lastWindow;
    const w = this.byKey.get(key);
    if (w !== undefined) this.remember(key, w);
    return w;
  }

  set(key: string, w: WindowAcc): void {
    this.byKey.set(key, w);
    this.remember(key, w);
  }

  delete(key: string): boolean {
    if (key === this.lastKey) this.remember(undefined, undefined);
    return this.byKey.delete(key);
  }

  clear(): void {
    this.byKey.clear();
    this.remember(undefined, undefined);
  }

  /** Hand every window to `recycle`, then forget them all. */
  drain(recycle: (w: WindowAcc) => void): void {
    for (const w of this.byKey.values()) recycle(w);
    this.clear();
  }

  [Symbol.iterator](): IterableIterator<[string, WindowAcc]> {
    return this.byKey[Symbol.iterator]();
  }

  private remember(key: string | undefined, w: WindowAcc | undefined): void {
    this.lastKey = key;
    this.lastWindow = w;
  }
}
