import { describe, expect, it } from 'vitest';
import { LeukoError } from '../../core/errors.js';
import { type CommandRunner, createCountingRunner } from './exec.js';
import { createNft, isNftNotFound, PLATFORM_FAILED } from './nft.js';

function fake(
  reply: (argv: readonly string[], input: string | undefined) => { code: number; stdout?: string; stderr?: string },
) {
  const inputs: string[] = [];
  const run: CommandRunner = async (argv, o) => {
    if (o.input !== undefined) inputs.push(o.input);
    const r = reply(argv, o.input);
    return { code: r.code, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  };
  return { run, inputs };
}

describe('createNft', () => {
  it('feeds a whole script through one `nft -f -` behind the prefix', async () => {
    const f = fake(() => ({ code: 0 }));
    const counting = createCountingRunner(f.run);
    const nft = createNft({ prefix: ['ip', 'netns', 'exec', 'x'], exec: counting.run });
    const script = Array.from(
      { length: 10_000 },
      (_, i) => `add element inet leuko ban4 { 198.18.${i >> 8}.${i & 255} }`,
    ).join('\n');
    await nft.run(script);
    expect(counting.count()).toBe(1);
    expect(counting.calls[0]).toEqual(['ip', 'netns', 'exec', 'x', 'nft', '-f', '-']);
    expect(f.inputs[0]).toBe(script);
  });

  it('splits only past maxScriptBytes, at unit boundaries', async () => {
    const f = fake(() => ({ code: 0 }));
    const counting = createCountingRunner(f.run);
    const nft = createNft({ exec: counting.run, maxScriptBytes: 100 });
    const units = Array.from({ length: 5 }, (_, i) => `add element inet leuko ban4 { 10.0.0.${i} }\ndelete element x`);
    await nft.runUnits(units);
    expect(counting.count()).toBe(5);
    for (const input of f.inputs) expect(input.split('\n').filter(Boolean)).toHaveLength(2);
  });

  it('turns a failure into a LeukoError with stderr and a not-found flag', async () => {
    const stderr = 'Error: No such file or directory\nlist table inet leuko\n^^^^^\n';
    const nft = createNft({ exec: fake(() => ({ code: 1, stderr })).run });
    const err = await nft.listJson(['table', 'inet', 'leuko']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LeukoError);
    expect((err as LeukoError).code).toBe(PLATFORM_FAILED);
    expect((err as LeukoError).details['stderr']).toBe(stderr);
    expect((err as LeukoError).message).toBe('nft -j list table inet leuko failed: Error: No such file or directory');
    expect(isNftNotFound(err)).toBe(true);
    const other = await createNft({ exec: fake(() => ({ code: 1, stderr: 'Error: syntax error' })).run })
      .run('bogus')
      .catch((e: unknown) => e);
    expect(isNftNotFound(other)).toBe(false);
  });

  it('reports a missing binary and invalid JSON as errors, not crashes', async () => {
    const missing = createNft({ binary: '/nonexistent/nft-binary' });
    await expect(missing.run('list ruleset')).rejects.toThrow(/cannot run/);
    const garbage = createNft({ exec: fake(() => ({ code: 0, stdout: '{not json' })).run });
    await expect(garbage.listJson(['ruleset'])).rejects.toThrow(/invalid JSON/);
  });

  it('parses sets with bare and wrapped elements, chains and rules', async () => {
    const stdout = JSON.stringify({
      nftables: [
        { metainfo: { version: '1.0.6' } },
        { table: { family: 'inet', name: 'leuko', handle: 1 } },
        {
          set: {
            family: 'inet',
            table: 'leuko',
            name: 'range4',
            type: 'ipv4_addr',
            flags: ['interval', 'timeout'],
            elem: [
              '10.0.0.1',
              {
                elem: {
                  val: { prefix: { addr: '10.1.0.0', len: 16 } },
                  timeout: 60,
                  expires: 59,
                  counter: { packets: 3, bytes: 180 },
                },
              },
            ],
          },
        },
        {
          chain: {
            family: 'inet',
            table: 'leuko',
            name: 'input',
            hook: 'input',
            prio: -150,
            policy: 'accept',
            type: 'filter',
          },
        },
        { rule: { family: 'inet', table: 'leuko', chain: 'input', expr: [{ drop: null }] } },
        { map: { name: 'ignored' } },
      ],
    });
    const listing = await createNft({ exec: fake(() => ({ code: 0, stdout })).run }).listJson([
      'table',
      'inet',
      'leuko',
    ]);
    expect(listing.tables).toHaveLength(1);
    expect(listing.sets[0]?.elem).toEqual([
      { val: '10.0.0.1' },
      { val: { prefix: { addr: '10.1.0.0', len: 16 } }, timeout: 60, expires: 59, counter: { packets: 3, bytes: 180 } },
    ]);
    expect(listing.chains[0]?.prio).toBe(-150);
    expect(listing.rules[0]?.expr).toEqual([{ drop: null }]);
  });

  it('kills a process that exceeds its timeout', async () => {
    const nft = createNft({ prefix: ['sh', '-c', 'sleep 5', '--'], timeoutMs: 100 });
    const err = await nft.run('').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LeukoError);
    expect((err as LeukoError).details['killed']).toBe(true);
  });
});
