import type { Command } from 'commander';
import { systemClock } from '../../core/clock.js';
import { tagAttack } from '../../detectors/web-attacks/enricher.js';
import { createParser } from '../../parsers/index.js';
import { readLines } from '../line-reader.js';

/**
 * `leuko parse --jsonl FILE`: one JSON value per input line, in order — the ECS event, or
 * null when no parser recognized the line. Access-log events carry the web-attack
 * classification (`attack.class`, `attack.fragment`) the pipeline would add. Output is buffered
 * to keep up with large files.
 */
export function registerParse(program: Command): void {
  program
    .command('parse')
    .description('parse log lines into ECS events (one JSON value per input line)')
    .argument('[file]', 'log file, or - for stdin', '-')
    .option('--jsonl', 'one JSON value per line (the default output)')
    .option('--json', 'alias of --jsonl')
    .option('-f, --format <name>', 'parser to use (default: recognize each line)', 'auto')
    .action(async (file: string, opts: { format: string }) => {
      const parse = createParser(opts.format, { clock: systemClock, ...(file === '-' ? {} : { logPath: file }) });
      let buf = '';
      for await (const line of readLines(file)) {
        let out: string;
        try {
          const parsed = parse(line);
          if (parsed !== null) tagAttack(parsed.event);
          out = parsed === null ? 'null' : JSON.stringify(parsed.event);
        } catch {
          out = 'null';
        }
        buf += `${out}\n`;
        if (buf.length > 1 << 16) {
          if (!process.stdout.write(buf)) await new Promise((r) => process.stdout.once('drain', r));
          buf = '';
        }
      }
      process.stdout.write(buf);
    });
}
