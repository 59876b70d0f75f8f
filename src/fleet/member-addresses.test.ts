import { describe, expect, it } from 'vitest';
import { createMemberAddresses } from './member-addresses.js';

describe('member addresses', () => {
  it('keeps an address a later heartbeat left out (a link that was down) until it expires', () => {
    const members = createMemberAddresses(60_000);
    expect(members.record('b', ['127.0.0.1', '10.78.1.6'], 1_000)).toBe(true);
    // Sent while B's link was down: its address is missing from this beat.
    expect(members.record('b', ['127.0.0.1'], 2_000)).toBe(false);
    expect(members.list(3_000).sort()).toEqual(['10.78.1.6', '127.0.0.1']);
    expect(members.stale(30_000)).toBe(false);
    // A minute after its last mention the address is no longer a member's.
    expect(members.stale(61_500)).toBe(true);
    expect(members.list(61_500)).toEqual(['127.0.0.1']);
    expect(members.stale(61_500)).toBe(false);
  });

  it('says when a heartbeat brings a new address, and merges members that share one', () => {
    const members = createMemberAddresses(60_000);
    expect(members.record('a', ['10.0.0.2'], 0)).toBe(true);
    expect(members.record('a', ['10.0.0.2'], 1)).toBe(false);
    expect(members.record('c', ['10.0.0.2', '10.0.0.10'], 1)).toBe(true);
    expect(members.list(2).sort()).toEqual(['10.0.0.10', '10.0.0.2']);
  });

  it('bounds what one member can make every agent remember', () => {
    const members = createMemberAddresses(60_000);
    for (let i = 0; i < 10; i++) {
      const beat = Array.from({ length: 64 }, (_, j) => `10.${i}.0.${j}`);
      members.record('noisy', beat, i);
    }
    const kept = members.list(20);
    expect(kept).toHaveLength(256);
    // The most recent addresses are the ones kept.
    expect(kept).toContain('10.9.0.63');
    expect(kept).not.toContain('10.0.0.0');
  });
});
