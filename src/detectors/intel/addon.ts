import type { IntelFeedConfig } from '../../config/intel.js';
import type { DaemonAddon } from '../../daemon/addons.js';
import { intelHub } from './feeds.js';
import { createFeedRefresher } from './refresher.js';

/** How often the add-on checks which HTTP feeds are due (each feed has its own `refresh`). */
const TICK_MS = 30_000;

/** `leuko run`: keep HTTP feeds fresh (ETag / If-Modified-Since), from start-up on. */
export const intelAddon: DaemonAddon = {
  name: 'intel-feeds',
  enabled: (config) => (config.intel?.feeds ?? []).some((f) => f.url !== undefined),
  async start(ctx) {
    const refresher = createFeedRefresher({
      feeds: (ctx.config.intel?.feeds ?? []) as readonly IntelFeedConfig[],
      hub: intelHub,
      log: ctx.log,
    });
    await refresher.refreshDue(ctx.clock.now());
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      void refresher.refreshDue(ctx.clock.now()).finally(() => {
        running = false;
      });
    }, TICK_MS);
    timer.unref();
    return {
      async stop() {
        clearInterval(timer);
      },
    };
  },
};
