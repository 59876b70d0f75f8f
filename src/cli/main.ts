#!/usr/bin/env node
import { Command } from 'commander';
import { LeukoError } from '../core/errors.js';
import { registerCommands } from './command-table.js';
import { fail } from './output.js';
import { VERSION } from './version.js';

const program = new Command('leuko')
  .description('Leuko: a digital immune system for Linux servers')
  .version(VERSION)
  .option(
    '-c, --config <file>',
    'configuration file (default: /etc/leuko/leuko.yaml if present, else embedded defaults)',
  )
  .option(
    '--store <dir|url>',
    'store directory (overrides store.path), or a hive\u2019s postgres://... URL (overrides store.url)',
  )
  .showHelpAfterError();

// EPIPE when piped into `head` is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

// Only the named command's module is loaded (see command-table.ts).
await registerCommands(program, process.argv.slice(2));
program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof LeukoError) fail(`${err.message}${err.code ? ` [${err.code}]` : ''}`, 2);
  else fail(err instanceof Error ? (err.stack ?? err.message) : String(err), 1);
});
