import { createInterface } from 'node:readline';
import { covers, type NftElement, toElements } from './nft-json.js';
import { labNow } from './proc.js';
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
  stop(): void;
}

/**
 * Timestamps bans as the kernel commits them: `nft -j monitor new elements` inside the victim
 * namespace prints each set-element add as it happens, so time-to-contain is not inflated by
 * a polling interval (each `nft list` poll costs several ms of process start-up, as much as
 * the 50 ms target allows for the whole path). Callers confirm with a set listing.
 */
export async function startBanMonitor(lab: Lab): Promise<BanMonitor> {
  const events: ElementAdded[] = [];
  // stdbuf: nft writes through stdio; a pipe would otherwise be block-buffered.
  const child = lab.spawn('victim', ['stdbuf', '-oL', 'nft', '-j', 'monitor', 'new', 'elements']);
  const rl = createInterface({ input: child.stdout! });
  rl.on('line', (line) => {
    const at = labNow();
    let doc: unknown;
    try {
      doc = JSON.parse(line);
    } catch {
      return;
    }
    const el = (doc as { add?: { element?: Record<string, unknown> } }).add?.element;
    if (!el) return;
    events.push({
      at,
      family: String(el['family'] ?? ''),
      table: String(el['table'] ?? ''),
      set: String(el['name'] ?? ''),
      elements: toElements(el['elem']),
    });
  });
  // Give the netlink subscription a moment to be in place before anything is banned.
  await new Promise((r) => setTimeout(r, 200));
  return {
    events,
    firstAdd(addr, since) {
      return events.find((e) => e.at >= since && e.elements.some((x) => covers(x, addr)));
    },
    stop() {
      rl.close();
      child.kill('SIGTERM');
    },
  };
}
