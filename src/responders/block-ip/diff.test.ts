import { describe, expect, it } from 'vitest';
import type { Decision } from '../../core/decision.js';
import { createGuard, select, wantedSets } from './desired.js';
import { diffSet } from './diff.js';
import { fullStructure, type Layout, structureRepair } from './layout.js';
import { parseTarget } from './target.js';

const layout: Layout = { family: 'inet', table: 'leuko', priority: -150 };
const NOW = 1_700_000_000_000;

function ban(value: string, ttlMs: number, id = value): Decision {
  return {
    id,
    scope: value.includes('/') ? 'range' : 'ip',
    value,
    action: 'ban',
    durationS: ttlMs / 1000,
    createdAt: NOW,
    expiresAt: NOW + ttlMs,
    origin: 'cli',
    reason: 't',
    blastRadius: 'low',
    status: 'applied',
    offence: 1,
  };
}
const el = (text: string, expiresMs: number | undefined) => [text, { target: parseTarget(text)!, expiresMs }] as const;

describe('select and wantedSets', () => {
  const guard = createGuard((a) => a.startsWith('192.0.2.'));
  it('classifies decisions', () => {
    expect(select(ban('203.0.113.1', 1000), NOW, guard)).toMatchObject({ kind: 'wanted', set: 'ban4' });
    expect(select(ban('2001:db8::/64', 1000), NOW, guard)).toMatchObject({ kind: 'wanted', set: 'range6' });
    expect(select(ban('203.0.113.1', 0), NOW, guard)).toEqual({ kind: 'expired' });
    expect(select(ban('192.0.2.1', 1000), NOW, guard)).toMatchObject({ kind: 'refused' });
    expect(select(ban('127.0.0.1', 1000), NOW, guard)).toMatchObject({ kind: 'refused' });
    expect(select({ ...ban('10.0.0.0/8', 1000), scope: 'ip' }, NOW, guard)).toMatchObject({ kind: 'invalid' });
    expect(select({ ...ban('10.0.0.1', 1000), action: 'kill' }, NOW, guard)).toMatchObject({ kind: 'invalid' });
    expect(select({ ...ban('10.0.0.1', 1000), expiresAt: Number.NaN }, NOW, guard)).toMatchObject({ kind: 'invalid' });
  });

  it('fails closed when the protect callback throws', () => {
    const throwing = createGuard(() => {
      throw new Error('store down');
    });
    expect(select(ban('203.0.113.1', 1000), NOW, throwing)).toMatchObject({
      kind: 'refused',
      reason: expect.stringContaining('store down'),
    });
  });

  it('merges duplicates (longest TTL) and keeps only outermost ranges', () => {
    const picks = ['10.0.0.0/8', '10.1.0.0/16', '10.1.2.0/24', '11.0.0.0/24', '10.0.0.5'].map((v) =>
      select(ban(v, 1000), NOW, guard),
    );
    picks.push(select(ban('10.0.0.5', 9000, 'again'), NOW, guard));
    const { wanted, coveredBy } = wantedSets(picks);
    expect([...wanted.get('range4')!.keys()]).toEqual(['10.0.0.0/8', '11.0.0.0/24']);
    expect(coveredBy.get('10.1.2.0/24')).toBe('10.0.0.0/8');
    expect(wanted.get('ban4')!.get('10.0.0.5')!.remainingMs).toBe(9000);
  });
});

describe('diffSet', () => {
  const wanted = (entries: [string, number][]) =>
    new Map(entries.map(([t, ms]) => [t, { target: parseTarget(t)!, remainingMs: ms }]));

  it('writes nothing when the set matches within tolerance', () => {
    const d = diffSet(layout, 'ban4', new Map([el('1.2.3.4', 3_599_000)]), wanted([['1.2.3.4', 3_600_000]]), 5000);
    expect(d).toEqual({ statements: [], added: 0, refreshed: 0, removed: 0 });
  });

  it('adds missing, removes stale and re-times drifted elements in one batch', () => {
    const present = new Map([el('1.1.1.1', 10_000), el('2.2.2.2', 60_000), el('3.3.3.3', undefined)]);
    const d = diffSet(
      layout,
      'ban4',
      present,
      wanted([
        ['2.2.2.2', 3_600_000],
        ['3.3.3.3', 60_000],
        ['4.4.4.4', 60_000],
      ]),
      5000,
    );
    expect(d).toMatchObject({ added: 1, refreshed: 2, removed: 1 });
    expect(d.statements).toEqual([
      'add element inet leuko ban4 { 1.1.1.1 timeout 1s, 2.2.2.2 timeout 1s, 3.3.3.3 timeout 1s }',
      'delete element inet leuko ban4 { 1.1.1.1, 2.2.2.2, 3.3.3.3 }',
      'add element inet leuko ban4 { 4.4.4.4 timeout 60s, 2.2.2.2 timeout 3600s, 3.3.3.3 timeout 60s }',
    ]);
  });

  it('uses plain deletes in interval sets and a rewrite when many are stale', () => {
    const d = diffSet(layout, 'range4', new Map([el('10.0.0.0/8', 1000)]), wanted([]), 5000);
    expect(d.statements).toEqual(['delete element inet leuko range4 { 10.0.0.0/8 }']);
    const many = new Map(Array.from({ length: 66 }, (_, i) => el(`10.${i}.0.0/16`, 60_000)));
    const rewrite = diffSet(layout, 'range4', many, wanted([['10.0.0.0/16', 60_000]]), 5000);
    expect(rewrite.removed).toBe(65);
    expect(rewrite.statements).toEqual([
      'flush set inet leuko range4',
      'add element inet leuko range4 { 10.0.0.0/16 timeout 60s }',
    ]);
  });
});

describe('structureRepair', () => {
  it('builds everything from nothing and nothing when all is in place', () => {
    const full = fullStructure(layout);
    expect(full[0]).toBe('add table inet leuko');
    expect(full).toContain('add set inet leuko range6 { type ipv6_addr; flags interval, timeout; counter; }');
    expect(full).toContain('add chain inet leuko forward { type filter hook forward priority -150; policy accept; }');
    expect(full.filter((s) => s.startsWith('add rule'))).toHaveLength(8);
    expect(full.some((s) => s.startsWith('flush') || s.startsWith('delete'))).toBe(false);
  });
});

describe('structureRepair on listings', () => {
  const healthy = () => {
    const sets = (['ban4', 'ban6', 'range4', 'range6'] as const).map((name) => ({
      family: 'inet',
      table: 'leuko',
      name,
      type: name.endsWith('4') ? 'ipv4_addr' : 'ipv6_addr',
      flags: name.startsWith('range') ? ['interval', 'timeout'] : ['timeout'],
    }));
    const chains = ['input', 'forward'].map((name) => ({
      family: 'inet',
      table: 'leuko',
      name,
      type: 'filter',
      hook: name,
      prio: -150,
      policy: 'accept',
    }));
    const rules = ['input', 'forward'].flatMap((chain) =>
      (['ban4', 'ban6', 'range4', 'range6'] as const).map((set) => ({
        family: 'inet',
        table: 'leuko',
        chain,
        expr: [
          {
            match: {
              op: '==',
              left: { payload: { protocol: set.endsWith('4') ? 'ip' : 'ip6', field: 'saddr' } },
              right: `@${set}`,
            },
          },
          { counter: { packets: 0, bytes: 0 } },
          { drop: null },
        ],
      })),
    );
    return { tables: [{ family: 'inet', name: 'leuko' }], sets, chains, rules };
  };

  it('writes nothing for a healthy table', () => {
    expect(structureRepair(layout, healthy())).toMatchObject({ statements: [], problems: [] });
  });

  it('rewrites only the chain whose rules were changed', () => {
    const listing = healthy();
    listing.rules = listing.rules.filter((r, i) => !(r.chain === 'forward' && i === 5));
    const fix = structureRepair(layout, listing);
    expect(fix.problems).toEqual(['chain forward rules differ']);
    expect(fix.statements[0]).toBe('add table inet leuko');
    expect(fix.statements[1]).toBe('flush chain inet leuko forward');
    expect(fix.statements.filter((s) => s.startsWith('add rule inet leuko forward'))).toHaveLength(4);
    expect(fix.statements.some((s) => s.includes(' input '))).toBe(false);
    expect(fix.recreated.size).toBe(0);
  });
});
