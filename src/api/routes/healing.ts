import path from 'node:path';
import { z } from 'zod';
import { healDir } from '../../healing/heal-dirs.js';
import { createQuarantine } from '../../healing/quarantine.js';
import type { RouteContext } from './context.js';

const Healing = z.object({
  configured: z.boolean(),
  paths: z.array(z.object({ path: z.string(), exclude: z.array(z.string()) })),
  services: z.array(
    z.object({ name: z.string(), probe: z.string(), restart: z.string().nullable(), config: z.array(z.string()) }),
  ),
  quarantine: z.array(
    z.object({
      id: z.string(),
      path: z.string(),
      at: z.number(),
      reason: z.string(),
      decisionId: z.string().nullable(),
      restoredAt: z.number().nullable(),
    }),
  ),
});

/** How a probe is shown: `http http://127.0.0.1/`, `tcp 127.0.0.1:22`, ... */
function probeText(probe: Record<string, unknown>): string {
  const [kind, value] = Object.entries(probe).find(([k]) => k !== 'expect') ?? ['?', ''];
  return `${kind} ${String(value)}`;
}

/**
 * The healing view: what `protect:` declares (paths and services) and what sits in quarantine.
 * Read from the store directory the daemon heals into, so it shows files quarantined by any
 * earlier run too. Viewer access: paths and reasons, never file contents.
 */
export function healingRoutes({ add, deps }: RouteContext): void {
  add({
    method: 'GET',
    url: '/api/v1/healing',
    operationId: 'healing',
    summary: 'Protected paths, protected services and the quarantine',
    tag: 'healing',
    access: 'viewer',
    response: Healing,
    handler: async () => {
      const protect = deps.config.protect;
      const quarantine = deps.storeDir
        ? await createQuarantine(path.join(healDir(deps.storeDir), 'quarantine'))
            .list()
            .catch(() => [])
        : [];
      return {
        configured: protect !== undefined,
        paths: (protect?.paths ?? []).map((p) =>
          typeof p === 'string' ? { path: p, exclude: [] } : { path: p.path, exclude: [...p.exclude] },
        ),
        services: (protect?.services ?? []).map((s) => ({
          name: s.name,
          probe: probeText(s.probe as Record<string, unknown>),
          restart: s.restart ?? null,
          config: [...s.config],
        })),
        quarantine: quarantine
          .sort((a, b) => b.at - a.at)
          .slice(0, 500)
          .map((q) => ({
            id: q.id,
            path: q.path,
            at: q.at,
            reason: q.reason,
            decisionId: q.decisionId ?? null,
            restoredAt: q.restoredAt ?? null,
          })),
      };
    },
  });
}
