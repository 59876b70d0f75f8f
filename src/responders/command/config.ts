import { z } from 'zod';
import { duration } from '../../config/fields.js';
import { withHint } from '../../config/hint-registry.js';
import type { CommandResponderOptions } from './responder.js';

/** argv, not a command line: no shell parses it, so log-borne values cannot inject anything. */
const argv = (description: string) =>
  withHint(
    z
      .array(z.string().min(1))
      .min(1)
      .meta({ description, examples: [['/usr/local/bin/edge-block', '--ttl', '4h']] }),
    'write the program and its arguments as a list, e.g. [/usr/local/bin/edge-block, --ttl, 4h]; use [sh, -c, "..."] for a shell',
  );

/**
 * YAML `responders:` entry for an operator command.
 *
 * @example
 * - { type: command, command: [/usr/local/bin/edge-block], rollback: [/usr/local/bin/edge-unblock], actions: [ban], timeout: 10s }
 */
export const commandConfigSchema = z.strictObject({
  type: z.literal('command'),
  id: z
    .string()
    .regex(/^[\w.:@-]{1,100}$/)
    .optional(),
  command: argv('Program run on apply; the decision is on stdin as JSON'),
  rollback: argv('Program run on rollback').optional(),
  verify: argv('Program whose exit 0 means the decision is in force').optional(),
  actions: z
    .array(z.string().min(1))
    .min(1)
    .default(['command'])
    .meta({ description: 'Decision actions it carries out' }),
  timeout: duration('Time allowed for one run; then its process group is killed', { min: 0.001 }).default(30),
  env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).default({}),
  cwd: z.string().min(1).optional(),
  blast_radius: z
    .enum(['low', 'medium', 'high'])
    .default('medium')
    .meta({ description: 'Impact class used by policy' }),
});

export type CommandConfig = z.output<typeof commandConfigSchema>;

export function commandOptionsFromConfig(c: CommandConfig): CommandResponderOptions {
  return {
    command: c.command,
    actions: c.actions,
    timeoutMs: c.timeout * 1000,
    env: c.env,
    blastRadius: c.blast_radius,
    ...(c.rollback !== undefined ? { rollback: c.rollback } : {}),
    ...(c.verify !== undefined ? { verify: c.verify } : {}),
    ...(c.cwd !== undefined ? { cwd: c.cwd } : {}),
  };
}
