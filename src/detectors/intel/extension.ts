import type { IntelFeedConfig } from '../../config/intel.js';
import type { ExtensionFactory } from '../../pipeline/extensions.js';
import { createIntelDetector } from './detector.js';
import { intelHub, readFeedFile } from './feeds.js';

/**
 * Intel in the pipeline: file feeds are (re)read when the pipeline is built, HTTP feeds come
 * from the refresh add-on of `leuko run` through the shared hub. Nothing when `intel:` is absent.
 */
export const intelExtension: ExtensionFactory = {
  name: 'intel',
  create(ctx) {
    const feeds = (ctx.config.intel?.feeds ?? []) as readonly IntelFeedConfig[];
    if (feeds.length === 0) return {};
    for (const f of feeds) {
      if (f.path === undefined) continue;
      // Expiry is judged in event time by the detector (a replay of last week's log must see
      // last week's indicators), so nothing is dropped at load time here.
      const r = readFeedFile(f, ctx.baseDir, 0);
      intelHub.replace(f.name, r.indicators);
    }
    return { detectors: [createIntelDetector({ feeds, hub: intelHub, ids: ctx.ids })] };
  },
};
