import { describe, expect, it } from 'vitest';
import { banTarget } from './decision-scope.js';
import { createTargetCache } from './target-cache.js';

describe('createTargetCache', () => {
  it('gives what banTarget gives, asked again and past its size', () => {
    for (const scope of ['ip', '/64'] as const) {
      const cache = createTargetCache(scope);
      const addresses = [
        ...Array.from({ length: 5000 }, (_, i) => `198.51.${(i >> 8) & 255}.${i & 255}`),
        '2001:db8:1:2:3:4:5:6',
        '::ffff:203.0.113.9',
        'example.com',
      ];
      for (const a of [...addresses, ...addresses.slice().reverse()]) expect(cache.of(a)).toEqual(banTarget(a, scope));
    }
  });
});
