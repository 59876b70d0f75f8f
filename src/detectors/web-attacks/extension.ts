import type { ExtensionFactory } from '../../pipeline/extensions.js';
import { createWebAttackEnricher } from './enricher.js';

/** Always on: classification is cheap on clean traffic and scenarios filter on its fields. */
export const webAttacksExtension: ExtensionFactory = {
  name: 'web-attacks',
  create: () => ({ enrichers: [createWebAttackEnricher()] }),
};
