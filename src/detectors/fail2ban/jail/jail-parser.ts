import type { LineParser, ParseContext, ParserDefinition } from '../../../core/parser.js';
import type { FilterDefinition } from '../config/filter-reader.js';
import { Fail2banFilter } from '../match/filter.js';
import { failureEvent } from './failure-event.js';

export const FORMAT_PREFIX = 'fail2ban:';

/**
 * The parser of one jail, registered as format `fail2ban:<jail>`: each stream gets its own
 * filter state (multi-line buffer, sshd connection cache, last date); the compiled
 * expressions are shared. A line is an event only when it is a failure (fail2ban's "found"):
 * `<F-NOFAIL>` matches, ignored and unmatched lines give null.
 */
export function jailParser(
  jail: string,
  def: FilterDefinition,
  opts: { timeZone?: string; centuryYear?: number } = {},
): ParserDefinition {
  // Compile now, so a broken filter fails at start-up, not on the first line.
  new Fail2banFilter(def, opts);
  return {
    name: `${FORMAT_PREFIX}${jail}`,
    description: `fail2ban filter ${def.name} of jail ${jail}`,
    create(ctx: ParseContext): LineParser {
      const filter = new Fail2banFilter(def, opts);
      const meta = {
        jail,
        filter: def.name,
        ...(ctx.logPath === undefined ? {} : { logPath: ctx.logPath }),
        ...(ctx.hostName === undefined ? {} : { hostName: ctx.hostName }),
      };
      return (line) => {
        const now = ctx.clock.now();
        const found = filter.processLine(line, now).find((f) => f.id !== undefined && !f.nofail);
        return found ? failureEvent(found, line, { ...meta, fallbackMs: now }) : null;
      };
    },
  };
}
