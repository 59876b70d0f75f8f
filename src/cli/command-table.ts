import type { Command } from 'commander';

type Register = (program: Command) => void;

/**
 * The CLI's top-level commands, in help order, each with the module that registers it. The
 * modules are imported only when needed: a command's module pulls in its whole stage (store,
 * API server, fleet transport...), so loading all of them costs every invocation about 0.3 s
 * and 20 MB of resident memory that `leuko replay` or `leuko parse` never use.
 * `names` lists every top-level name (and alias) the module registers; command-table.test.ts
 * checks that against the modules themselves.
 */
export const COMMANDS: readonly { readonly names: readonly string[]; load(): Promise<Register> }[] = [
  { names: ['run'], load: async () => (await import('./commands/run.js')).registerRun },
  { names: ['replay'], load: async () => (await import('./commands/replay.js')).registerReplay },
  { names: ['parse'], load: async () => (await import('./commands/parse.js')).registerParse },
  { names: ['explain'], load: async () => (await import('./commands/explain.js')).registerExplain },
  { names: ['decisions'], load: async () => (await import('./commands/decisions.js')).registerDecisions },
  {
    names: ['approvals', 'approve', 'reject'],
    load: async () => (await import('./commands/approvals.js')).registerApprovals,
  },
  { names: ['incidents'], load: async () => (await import('./commands/incidents.js')).registerIncidents },
  { names: ['audit'], load: async () => (await import('./commands/audit.js')).registerAudit },
  { names: ['config'], load: async () => (await import('./commands/config.js')).registerConfig },
  { names: ['scenarios'], load: async () => (await import('./commands/scenarios.js')).registerScenarios },
  { names: ['rules'], load: async () => (await import('./commands/rules.js')).registerRules },
  { names: ['status'], load: async () => (await import('./commands/status.js')).registerStatus },
  { names: ['fleet'], load: async () => (await import('./commands/fleet.js')).registerFleet },
  { names: ['hive'], load: async () => (await import('./commands/hive.js')).registerHive },
  { names: ['baseline'], load: async () => (await import('./commands/baseline.js')).registerBaseline },
  { names: ['maintenance'], load: async () => (await import('./commands/maintenance.js')).registerMaintenance },
  { names: ['heal'], load: async () => (await import('./commands/heal.js')).registerHeal },
  { names: ['quarantine'], load: async () => (await import('./commands/quarantine.js')).registerQuarantine },
  { names: ['fail2ban'], load: async () => (await import('./commands/fail2ban.js')).registerFail2ban },
  { names: ['templates'], load: async () => (await import('./commands/templates.js')).registerTemplates },
  { names: ['feedback'], load: async () => (await import('./commands/feedback.js')).registerFeedback },
  { names: ['baselines'], load: async () => (await import('./commands/baselines.js')).registerBaselines },
  { names: ['tokens'], load: async () => (await import('./commands/tokens.js')).registerTokens },
  { names: ['bouncers'], load: async () => (await import('./commands/bouncers.js')).registerBouncers },
];

/** Global options that take a value (so the value is not mistaken for the command name). */
const VALUE_OPTIONS = new Set(['-c', '--config', '--store']);

/** The command word of `argv` (after node and the script), or undefined (none, or help). */
export function commandWord(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (VALUE_OPTIONS.has(a)) i++;
    else if (!a.startsWith('-')) return a;
  }
  return undefined;
}

/**
 * Register the command `args` names, or every command when it names none we know (help, a
 * typo: commander then lists or suggests among all of them).
 */
export async function registerCommands(program: Command, args: readonly string[]): Promise<void> {
  const word = commandWord(args);
  const one = word === undefined ? undefined : COMMANDS.find((c) => c.names.includes(word));
  const chosen = one === undefined ? COMMANDS : [one];
  const registers = await Promise.all(chosen.map((c) => c.load()));
  for (const register of registers) register(program);
}
