import { covers, type NftElement, toElements } from './nft-json.js';
import { startStamper } from './stamper.js';
import type { Lab } from './topology.js';

export interface ElementAdded {
  /** When this process read the kernel's notification (labNow clock). */
  readonly at: number;
  readonly family: string;
  readonly table: string;
  readonly set: string;
  readonly elements: readonly NftElement[];
}

export interface BanMonitor {
  /** First element-add at or after `since` covering `addr`, in any set of the victim. */
  firstAdd(addr: string, since: number): ElementAdded | undefined;
  readonly events: readonly ElementAdded[];
  stop(): Promise<void>;
}

/**
 * Timestamps bans as the kernel commits them: `nft -j monitor new elements` inside the victim
 * namespace prints each set-element add as it happens, so time-to-contain is not inflated by
 * a polling interval (each `nft list` poll costs several ms of process start-up, as much as
 * the 50 ms target allows for the whole path). The monitor's output is read and stamped in a
 * worker thread (stamper.ts), not on the lab's busy main thread. Callers confirm with a set
 * listing.
 */
export async function startBanMonitor(lab: Lab): Promise<BanMonitor> {
  const events: ElementAdded[] = [];
  // stdbuf: nft writes through stdio; a pipe would otherwise be block-buffered.
  const stamper = await startStamper({
    command: ['ip', 'netns', 'exec', lab.ns.victim, 'stdbuf', '-oL', 'nft', '-j', 'monitor', 'new', 'elements'],
  });
  // The monitor is the worker's child, not the lab's: make sure teardown ends it too.
  lab.onDestroy(() => stamper.stop());
  stamper.onLines((lines) => {
    for (const { line, at } of lines) {
      let doc: unknown;
      try {
        doc = JSON.parse(line);
      } catch {
        continue;
      }
      const el = (doc as { add?: { element?: Record<string, unknown> } }).add?.element;
      if (!el) continue;
      events.push({
        at,
        family: String(el['family'] ?? ''),
        table: String(el['table'] ?? ''),
        set: String(el['name'] ?? ''),
        elements: toElements(el['elem']),
      });
    }
  });
  // Give the netlink subscription a moment to be in place before anything is banned.
  await new Promise((r) => setTimeout(r, 200));
  return {
    events,
    firstAdd(addr, since) {
      return events.find((e) => e.at >= since && e.elements.some((x) => covers(x, addr)));
    },
    stop: () => stamper.stop(),
  };
}
