import { z } from 'zod';
import { duration } from '../../config/fields.js';
import type { ProcessResponderOptions } from './responder.js';

const port = z.number().int().min(1).max(65535);

/**
 * YAML `responders:` entry for the process responder (actions `kill` and `freeze`).
 *
 * @example
 * - { type: process, protect: { names: [postgres], users: [backup] }, ssh_ports: [22, 2222], kill_grace: 5s }
 */
export const processConfigSchema = z.strictObject({
  type: z.literal('process'),
  id: z
    .string()
    .regex(/^[\w.:@-]{1,100}$/)
    .optional(),
  protect: z
    .strictObject({
      pids: z.array(z.number().int().min(1)).default([]),
      names: z
        .array(z.string().min(1).max(255))
        .default([])
        .meta({
          description: 'Process names never touched (honoured only for root-owned executables)',
          examples: [['postgres', 'nginx']],
        }),
      users: z
        .array(z.union([z.string().min(1), z.number().int().min(0)]))
        .default([])
        .meta({ description: 'Users (names or uids) whose processes are never touched' }),
    })
    .default({ pids: [], names: [], users: [] })
    .meta({
      description: 'Besides pid 1, Leuko itself, kernel threads and the ssh listener, which are always protected',
    }),
  ssh_ports: z.array(port).min(1).default([22]).meta({ description: 'Ports whose listener (sshd) is protected' }),
  kill_grace: duration('Time between SIGTERM and SIGKILL').default(5),
  tree: z.boolean().default(true).meta({ description: "Also stop or kill the target's descendants" }),
});

export type ProcessConfig = z.output<typeof processConfigSchema>;

export function processOptionsFromConfig(c: ProcessConfig, selfPid: number): ProcessResponderOptions {
  return {
    selfPid,
    protect: c.protect,
    sshPorts: c.ssh_ports,
    killGraceMs: c.kill_grace * 1000,
    tree: c.tree,
  };
}
