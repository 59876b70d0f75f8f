import type { Command } from 'commander';
import { loadConfiguredScenarios } from '../../pipeline/assemble.js';
import { loadRuntime, type RuntimeOptions } from '../context.js';
import { printJson, printTable } from '../output.js';

export function registerScenarios(program: Command): void {
  program
    .command('scenarios')
    .description('list the detection scenarios in force (built-in and configured)')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }, cmd: Command) => {
      const runtime = loadRuntime(cmd.optsWithGlobals() as RuntimeOptions);
      if (!runtime) return;
      const scenarios = loadConfiguredScenarios(runtime.settings.scenarios);
      const rows = scenarios.map((s) => ({
        name: s.name,
        kind: s.params.kind,
        techniques: s.techniques,
        severity: s.severity,
        decision: s.remediation ? `${s.remediation.action} ${s.remediation.durationS}s` : null,
        description: s.description,
        file: s.source.file,
      }));
      if (opts.json) return printJson(rows);
      printTable(
        ['name', 'kind', 'ATT&CK', 'severity', 'decision', 'description'],
        rows.map((r) => [r.name, r.kind, r.techniques.join(' '), r.severity, r.decision ?? '-', r.description]),
      );
    });
}
