import { z } from 'zod';
import { commandConfigSchema } from '../responders/command/config.js';
import { lockAccountConfigSchema } from '../responders/lock-account/config.js';
import { processConfigSchema } from '../responders/process/config.js';
import { webhookConfigSchema } from '../responders/webhook/config.js';
import { cidr } from './fields.js';
import { withHint } from './hint-registry.js';

export const RESPONDER_TYPES = ['nftables', 'isolate-host', 'process', 'lock-account', 'webhook', 'command'] as const;

const id = z
  .string()
  .regex(/^[\w.:@-]{1,100}$/)
  .optional();

/** nft table names are interpolated into `nft -f` scripts: identifier characters only. */
const tableName = withHint(
  z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,31}$/),
  'use a letter then up to 31 letters, digits or _ (e.g. leuko)',
);

/** Bans (`ban` decisions for addresses and ranges) in Leuko's own nftables table. */
const nftables = z.strictObject({
  type: z.literal('nftables'),
  id,
  table: tableName.default('leuko').meta({ description: 'Leuko’s own table (family inet); no other table is touched' }),
  netns: z
    .string()
    .regex(/^[\w.-]{1,64}$/)
    .optional()
    .meta({ description: 'Run nft inside this network namespace (labs, containers)' }),
});

/** Cut the host off except for management addresses (`isolate-host`, approval-gated). */
const isolateHost = z.strictObject({
  type: z.literal('isolate-host'),
  id,
  management: z.array(cidr()).min(1).meta({ description: 'Addresses that keep access while the host is isolated' }),
  table: tableName.default('leuko_isolate'),
  netns: z
    .string()
    .regex(/^[\w.-]{1,64}$/)
    .optional(),
});

export const respondersSchema = z
  .array(
    z.discriminatedUnion('type', [
      nftables,
      isolateHost,
      processConfigSchema,
      lockAccountConfigSchema,
      webhookConfigSchema,
      commandConfigSchema,
    ]),
  )
  .default([])
  .meta({ description: 'Actions Leuko may take when policy.mode allows them' });
