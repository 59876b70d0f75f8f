import type { Command } from 'commander';
import { configJsonSchema, formatIssues, loadConfigFile } from '../../config/index.js';
import { parserNames } from '../../parsers/index.js';
import { printJson } from '../output.js';

export function registerConfig(program: Command): void {
  const config = program.command('config').description('validate a configuration, print its JSON Schema');

  config
    .command('validate')
    .description('report every problem of a config file at once (file, line, key, hint)')
    .argument('<file>')
    .option('--strict', 'treat warnings as errors')
    .option('--json', 'print the issues as JSON')
    .action((file: string, opts: { strict?: boolean; json?: boolean }) => {
      const result = loadConfigFile(file, { knownFormats: parserNames, strict: opts.strict === true });
      const issues = result.ok ? result.warnings : result.issues;
      if (opts.json) printJson({ ok: result.ok, issues });
      else if (issues.length > 0) process.stderr.write(`${formatIssues(issues)}\n`);
      if (result.ok) {
        if (!opts.json)
          process.stdout.write(
            `${file}: valid${issues.length ? ` (${issues.length} warning${issues.length === 1 ? '' : 's'})` : ''}\n`,
          );
      } else {
        process.exitCode = 1;
      }
    });

  config
    .command('schema')
    .description('print the JSON Schema of the configuration, for editors')
    .action(() => printJson(configJsonSchema({ knownFormats: parserNames })));
}
