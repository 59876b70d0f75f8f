import type { ResponderConfig } from '../config/index.js';
import { mutableCopy } from '../core/mutable.js';
import type { Responder } from '../core/responder.js';
import { createNft } from '../platform/nft/index.js';
import { createNftablesResponder } from './block-ip/index.js';
import { commandOptionsFromConfig, createCommandResponder } from './command/index.js';
import { createIsolateHostResponder } from './isolate-host/index.js';
import { createLockAccountResponder, lockAccountOptionsFromConfig } from './lock-account/index.js';
import { createProcessResponder, processOptionsFromConfig } from './process/index.js';
import { createWebhookResponder, webhookOptionsFromConfig } from './webhook/index.js';

/**
 * The configured responders, ready for the enforcer. `protect` is the policy allowlist, which
 * the firewall responders ask again before every add as a last line of defence.
 */
export function buildResponders(
  configs: readonly ResponderConfig[],
  deps: { protect: (addr: string) => boolean; hostName: string; selfPid: number },
): Responder[] {
  return configs.map((c) => buildResponder(c, deps));
}

function buildResponder(
  c: ResponderConfig,
  deps: { protect: (addr: string) => boolean; hostName: string; selfPid: number },
): Responder {
  switch (c.type) {
    case 'nftables':
      return createNftablesResponder({
        table: c.table,
        protect: deps.protect,
        nft: createNft(c.netns === undefined ? {} : { prefix: ['ip', 'netns', 'exec', c.netns] }),
      });
    case 'isolate-host':
      return createIsolateHostResponder({
        table: c.table,
        management: c.management,
        host: deps.hostName,
        nft: createNft(c.netns === undefined ? {} : { prefix: ['ip', 'netns', 'exec', c.netns] }),
      });
    case 'process':
      return createProcessResponder(processOptionsFromConfig(mutableCopy(c), deps.selfPid));
    case 'lock-account':
      return createLockAccountResponder(lockAccountOptionsFromConfig(mutableCopy(c)));
    case 'webhook':
      return createWebhookResponder(webhookOptionsFromConfig(mutableCopy(c)));
    case 'command':
      return createCommandResponder(commandOptionsFromConfig(mutableCopy(c)));
  }
}
