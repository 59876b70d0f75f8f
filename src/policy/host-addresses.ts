import { networkInterfaces } from 'node:os';

type InterfaceMap = ReturnType<typeof networkInterfaces>;

/**
 * The host's own addresses, from every interface (link-local included: banning fe80::/64 would
 * cut the host off its own segment). Read through an injected function so tests need no host.
 *
 * @example
 * createPolicyEngine(settings, { clock, hostAddresses: createHostAddresses() });
 */
export function createHostAddresses(read: () => InterfaceMap = networkInterfaces): () => string[] {
  return () => {
    const out = new Set<string>();
    for (const list of Object.values(read())) {
      for (const info of list ?? []) {
        // Zone ids (`fe80::1%eth0`) are not part of the address.
        const addr = info.address.split('%')[0];
        if (addr) out.add(addr);
      }
    }
    return [...out];
  };
}
