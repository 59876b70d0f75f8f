#!/usr/bin/env node
import { Command } from 'commander';
import { LeukoError } from '../core/errors.js';
import { registerApprovals } from './commands/approvals.js';
import { registerAudit } from './commands/audit.js';
import { registerBaseline } from './commands/baseline.js';
import { registerBouncers } from './commands/bouncers.js';
import { registerConfig } from './commands/config.js';
import { registerDecisions } from './commands/decisions.js';
import { registerExplain } from './commands/explain.js';
import { registerFleet } from './commands/fleet.js';
import { registerHive } from './commands/hive.js';
import { registerHeal } from './commands/heal.js';
import { registerFail2ban } from './commands/fail2ban.js';
import { registerFeedback } from './commands/feedback.js';
import { registerBaselines } from './commands/baselines.js';
import { registerIncidents } from './commands/incidents.js';
import { registerMaintenance } from './commands/maintenance.js';
import { registerParse } from './commands/parse.js';
import { registerQuarantine } from './commands/quarantine.js';
import { registerReplay } from './commands/replay.js';
import { registerRules } from './commands/rules.js';
import { registerRun } from './commands/run.js';
import { registerScenarios } from './commands/scenarios.js';
import { registerStatus } from './commands/status.js';
import { registerTemplates } from './commands/templates.js';
import { registerTokens } from './commands/tokens.js';
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

registerRun(program);
registerReplay(program);
registerParse(program);
registerExplain(program);
registerDecisions(program);
registerApprovals(program);
registerIncidents(program);
registerAudit(program);
registerConfig(program);
registerScenarios(program);
registerRules(program);
registerStatus(program);
registerFleet(program);
registerHive(program);
registerBaseline(program);
registerMaintenance(program);
registerHeal(program);
registerQuarantine(program);
registerFail2ban(program);
registerTemplates(program);
registerFeedback(program);
registerBaselines(program);
registerTokens(program);
registerBouncers(program);

// EPIPE when piped into `head` is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof LeukoError) fail(`${err.message}${err.code ? ` [${err.code}]` : ''}`, 2);
  else fail(err instanceof Error ? (err.stack ?? err.message) : String(err), 1);
});
