import { z } from 'zod';
import { parseF2bTime } from '../detectors/fail2ban/jail/time-spec.js';
import { nonEmpty } from './fields.js';
import { withHint } from './hint-registry.js';

const F2B_TIME_HINT = 'write seconds or a fail2ban time like 600, 10m, 1h, 1d (bantime -1 bans for good)';

function f2bTime(description: string, dflt: number, allowNegative = false) {
  return withHint(
    z
      .union([z.number(), z.string()])
      .transform((v, ctx) => {
        const s = typeof v === 'number' ? v : parseF2bTime(v);
        if (s === undefined || (!allowNegative && s <= 0)) {
          ctx.addIssue({ code: 'custom', message: `invalid fail2ban time ${JSON.stringify(v)}`, input: v });
          return z.NEVER;
        }
        return s;
      })
      .default(dflt)
      .meta({ description, examples: ['10m', '1h', 600] }),
    F2B_TIME_HINT,
  );
}

const jailSchema = z.strictObject({
  name: withHint(
    z
      .string()
      .regex(/^[\w.-]{1,64}$/)
      .meta({ description: 'Jail name; its parser is format `fail2ban:<name>`', examples: ['sshd'] }),
    'use letters, digits, `.`, `_` or `-`, like fail2ban jail names',
  ),
  filter: z
    .string()
    .trim()
    .min(1)
    .optional()
    .meta({ description: 'Filter name with options (default: the jail name)', examples: ['sshd[mode=aggressive]'] }),
  logpath: z
    .union([nonEmpty('Log file', '/var/log/auth.log'), z.array(nonEmpty('Log file', '/var/log/auth.log'))])
    .optional()
    .meta({ description: 'Log files this jail reads (each becomes a source with format fail2ban:<name>)' }),
  maxretry: z.number().int().min(1).default(5).meta({ description: 'Failures within findtime that ban' }),
  findtime: f2bTime('Window the failures are counted in', 600),
  bantime: f2bTime('Ban length (-1: permanent)', 600, true),
  backend: z.string().default('auto').meta({ description: 'fail2ban backend; systemd selects the journal log type' }),
});

/**
 * `fail2ban:` — run fail2ban filters as they are: each jail becomes a parser (format
 * `fail2ban:<jail>`) and a threshold scenario (maxretry within findtime bans for bantime).
 */
export const fail2banSchema = z
  .strictObject({
    filter_dir: nonEmpty('Directory of fail2ban filters (filter.d)', '/etc/fail2ban/filter.d').default(
      '/etc/fail2ban/filter.d',
    ),
    jail_file: nonEmpty('A fail2ban jail file whose enabled jails to run', '/etc/fail2ban/jail.local').optional(),
    time_zone: z
      .string()
      .optional()
      .meta({ description: 'IANA zone of log dates without one (default: this host)', examples: ['Europe/Zurich'] }),
    jails: z.array(jailSchema).default([]),
  })
  .transform((s) => ({
    ...s,
    jails: s.jails.map((j) => ({
      name: j.name,
      filter: j.filter ?? j.name,
      logpath: j.logpath === undefined ? [] : typeof j.logpath === 'string' ? [j.logpath] : j.logpath,
      backend: j.backend,
      maxretry: j.maxretry,
      findtime: j.findtime,
      bantime: j.bantime,
    })),
  }))
  .optional()
  .meta({ description: 'fail2ban filters and jails run by Leuko' });

export type Fail2banConfig = NonNullable<z.output<typeof fail2banSchema>>;
