import { z } from 'zod';
import { nonEmpty } from './fields.js';
import { withHint } from './hint-registry.js';

export const RESPONDER_TYPES = ['block-ip', 'kill-process', 'restart-service', 'restore-file'] as const;

const id = z
  .string()
  .regex(/^[\w.:@-]{1,100}$/)
  .optional();

/**
 * Responders act only when policy allows it. The nft table name is interpolated into an
 * `nft -f` script, so it is restricted to identifier characters (no script injection).
 */
const blockIp = z.strictObject({
  type: z.literal('block-ip'),
  id,
  backend: z.enum(['auto', 'nftables', 'iptables']).default('auto'),
  table: withHint(
    z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,31}$/),
    'use a letter then up to 31 letters, digits or _ (e.g. leuko)',
  ).default('leuko'),
});

const killProcess = z.strictObject({ type: z.literal('kill-process'), id });

const restartService = z.strictObject({
  type: z.literal('restart-service'),
  id,
  units: z
    .array(withHint(z.string().regex(/^[\w@.:\\-]{1,256}$/), 'write a systemd unit name like nginx.service'))
    .min(1)
    .meta({ description: 'Units this responder may restart', examples: [['nginx.service']] }),
});

const restoreFile = z.strictObject({
  type: z.literal('restore-file'),
  id,
  paths: z
    .array(nonEmpty('Protected file or directory', '/etc/ssh/sshd_config'))
    .min(1)
    .meta({ description: 'Files this responder may restore from snapshots', examples: [['/etc/ssh/sshd_config']] }),
});

export const respondersSchema = z
  .array(z.discriminatedUnion('type', [blockIp, killProcess, restartService, restoreFile]))
  .default([])
  .meta({ description: 'Actions Leuko may take when policy.mode allows them' });
