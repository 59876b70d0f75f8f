import type { Command } from 'commander';
import { systemClock } from '../../core/clock.js';
import type { ParsedLine } from '../../core/event.js';
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
      // A format whose records a client can split (nginx's error log) prints a line only once its
      // record is known whole, as the pipeline detects on it: a line of a split or cut record is
      // null. The gate lets every line go once, in order, so output stays one value per line.
      const gate = parse.records;
      let buf = '';
      const print = (parsed: ParsedLine | null): void => {
        let out = 'null';
        if (parsed !== null) {
          try {
            tagAttack(parsed.event);
            out = JSON.stringify(parsed.event);
          } catch {
            out = 'null';
          }
        }
        buf += `${out}\n`;
      };
      const printSettled = (): void => {
        if (gate === undefined) return;
        for (let s = gate.next(); s !== undefined; s = gate.next()) print(s.dropped ? null : s.parsed);
      };
      for await (const line of readLines(file)) {
        let parsed: ParsedLine | null;
        try {
          parsed = parse(line);
        } catch {
          parsed = null;
        }
        if (gate === undefined) print(parsed);
        else {
          gate.admit(line, parsed, undefined);
          printSettled();
        }
        if (buf.length > 1 << 16) {
          if (!process.stdout.write(buf)) await new Promise((r) => process.stdout.once('drain', r));
          buf = '';
        }
      }
      gate?.settle();
      printSettled();
      process.stdout.write(buf);
    });
}
