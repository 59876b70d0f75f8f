import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS, commandWord } from './command-table.js';

describe('command table', () => {
  it('names exactly the top-level commands each module registers', async () => {
    for (const entry of COMMANDS) {
      const program = new Command('leuko');
      (await entry.load())(program);
      const names = program.commands.flatMap((c) => [c.name(), ...c.aliases()]);
      expect(names).toEqual(entry.names);
    }
  }, 60_000);

  it('finds the command word past global options and their values', () => {
    expect(commandWord(['replay', '--json', 'a.log'])).toBe('replay');
    expect(commandWord(['-c', 'leuko.yaml', 'status'])).toBe('status');
    expect(commandWord(['--store', '/tmp/s', '--config=x.yaml', 'decisions', 'list'])).toBe('decisions');
    expect(commandWord(['--help'])).toBeUndefined();
    expect(commandWord([])).toBeUndefined();
  });
});
