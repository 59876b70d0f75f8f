import { describe, expect, it } from 'vitest';
import { createHostAddresses } from './host-addresses.js';

describe('host addresses', () => {
  it('lists every interface address without zone ids', () => {
    const read = createHostAddresses(
      () =>
        ({
          lo: [{ address: '127.0.0.1' }, { address: '::1' }],
          eth0: [{ address: '192.0.2.10' }, { address: 'fe80::1%eth0' }],
          down: undefined,
        }) as unknown as ReturnType<typeof import('node:os').networkInterfaces>,
    );
    expect(read()).toEqual(['127.0.0.1', '::1', '192.0.2.10', 'fe80::1']);
  });

  it('reads the real host', () => {
    expect(createHostAddresses()()).toContain('127.0.0.1');
  });
});
