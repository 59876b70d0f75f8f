import { z } from 'zod';
import type { LockAccountResponderOptions } from './responder.js';

/**
 * YAML `responders:` entry for account locking (action `lock-account`, scope `user`).
 *
 * @example
 * - { type: lock-account, protected_users: [alice, bob], state_file: /var/lib/leuko/lock-account.json }
 */
export const lockAccountConfigSchema = z.strictObject({
  type: z.literal('lock-account'),
  id: z
    .string()
    .regex(/^[\w.:@-]{1,100}$/)
    .optional(),
  protected_users: z
    .array(z.union([z.string().min(1), z.number().int().min(0)]))
    .default([])
    .meta({ description: 'Administrators never locked (root and uid 0 always are)', examples: [['alice']] }),
  min_uid: z
    .number()
    .int()
    .min(1)
    .default(1000)
    .meta({ description: 'Accounts below this uid are system accounts and are never locked' }),
  end_sessions: z.boolean().default(true).meta({ description: "Kill the user's processes and logind sessions" }),
  state_file: z
    .string()
    .min(1)
    .optional()
    .meta({ description: 'Where the pre-lock state is kept so rollback restores it after a restart' }),
});

export type LockAccountConfig = z.output<typeof lockAccountConfigSchema>;

export function lockAccountOptionsFromConfig(c: LockAccountConfig): LockAccountResponderOptions {
  return {
    protectedUsers: c.protected_users,
    minUid: c.min_uid,
    endSessions: c.end_sessions,
    ...(c.state_file !== undefined ? { stateFile: c.state_file } : {}),
  };
}
