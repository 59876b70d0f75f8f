import { readdirSync } from 'node:fs';
import path from 'node:path';
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

  it('lists every command module: a new one cannot be forgotten (lazy loading would hide it)', async () => {
    const dir = path.join(import.meta.dirname, 'commands');
    const listed = new Set(COMMANDS.flatMap((c) => c.names));
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
      const mod = (await import(path.join(dir, file))) as Record<string, unknown>;
      // A top-level command module exports `register<Name>(program)`; helpers that add
      // subcommands to a parent (`registerTemplateStoreCommands(templates)`) are not top-level.
      for (const [name, fn] of Object.entries(mod)) {
        if (!/^register[A-Z]/.test(name) || name.endsWith('Commands') || typeof fn !== 'function') continue;
        const program = new Command('leuko');
        (fn as (p: Command) => void)(program);
        for (const c of program.commands) expect(listed, `${file}: ${c.name()}`).toContain(c.name());
      }
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
