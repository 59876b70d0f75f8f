import type { Clock } from '../core/clock.js';
import { ALWAYS_ALLOWED, type Allowlist, createAllowlist, parseCidr } from './allowlist.js';

/** A logged-in administrator's ssh session. */
export interface AdminSession {
  readonly user: string;
  readonly address: string;
  readonly pid?: number;
}

export type ProtectedBy = 'loopback' | 'config' | 'host' | 'admin';

export interface GuardMatch {
  /** The allowlist entry or address that matched. */
  readonly entry: string;
  readonly by: ProtectedBy;
  /** For `admin`: whose session it was. */
  readonly user?: string;
}

export interface AddressGuard {
  /** Whether acting against this address or range would touch something protected. */
  match(value: string): GuardMatch | undefined;
  /** Re-read the host's addresses and the admin sessions now (also done lazily on match). */
  refresh(): void;
  /** Re-read whichever of them is due; cheap to call often. */
  refreshIfDue(): void;
  counts(): { readonly configured: number; readonly host: number; readonly admin: number; readonly errors: number };
}

export interface AddressGuardDeps {
  readonly clock: Clock;
  /** The host's own addresses (e.g. from os.networkInterfaces()). */
  readonly hostAddresses?: () => readonly string[];
  /** Current sessions of administrators (see admin-sessions.ts). */
  readonly adminSessions?: () => readonly AdminSession[];
}

export interface AddressGuardSettings {
  readonly allowlist: readonly string[];
  readonly adminGraceMs: number;
  readonly hostRefreshMs: number;
  readonly adminRefreshMs: number;
}

const MAX_REMEMBERED_ADMINS = 4096;

/**
 * The allowlist nothing overrides: configured ranges, loopback, the host's own addresses and
 * the addresses administrators are logged in from.
 *
 * An admin's address stays protected for `adminGraceMs` after the session is last seen: an
 * attacker who forges failed-login lines with the admin's address (log injection, or spoofed
 * sources) right after the admin logs out must not lock the admin out. A provider that fails
 * keeps its last good answer: stale protection is better than none.
 */
export function createAddressGuard(settings: AddressGuardSettings, deps: AddressGuardDeps): AddressGuard {
  const configured = createAllowlist(settings.allowlist);
  const loopback = new Set<string>(ALWAYS_ALLOWED);
  let host: Allowlist = createAllowlist([]);
  let hostCount = 0;
  let hostDue = Number.NEGATIVE_INFINITY;
  let adminDue = Number.NEGATIVE_INFINITY;
  const admins = new Map<string, { user: string; lastSeen: number }>();
  let adminList: Allowlist = createAllowlist([]);
  let errors = 0;

  function refreshHost(now: number): void {
    hostDue = now + settings.hostRefreshMs;
    if (!deps.hostAddresses) return;
    try {
      const list = deps.hostAddresses().filter((a) => parseCidr(a) !== undefined);
      host = createAllowlist(list);
      hostCount = list.length;
    } catch {
      errors++;
    }
  }

  function refreshAdmins(now: number): void {
    adminDue = now + settings.adminRefreshMs;
    if (deps.adminSessions) {
      try {
        for (const s of deps.adminSessions()) {
          const parsed = parseCidr(s.address);
          if (!parsed || s.address.includes('/')) continue;
          const key = parsed.addr.toString();
          admins.delete(key);
          admins.set(key, { user: s.user, lastSeen: now });
        }
      } catch {
        errors++;
      }
    }
    for (const [addr, a] of admins) {
      if (a.lastSeen + settings.adminGraceMs <= now && a.lastSeen !== now) admins.delete(addr);
    }
    // Bounded: oldest-seen first out (Map keeps insertion order, refreshed entries move last).
    while (admins.size > MAX_REMEMBERED_ADMINS) {
      const oldest = admins.keys().next().value;
      if (oldest === undefined) break;
      admins.delete(oldest);
    }
    adminList = createAllowlist([...admins.keys()]);
  }

  function maybeRefresh(): void {
    const now = deps.clock.now();
    if (now >= hostDue || now < hostDue - settings.hostRefreshMs) refreshHost(now);
    if (now >= adminDue || now < adminDue - settings.adminRefreshMs) refreshAdmins(now);
  }

  return {
    match(value) {
      maybeRefresh();
      const c = configured.match(value);
      if (c !== undefined) return { entry: c, by: loopback.has(c) ? 'loopback' : 'config' };
      const h = host.match(value);
      if (h !== undefined) return { entry: h, by: loopback.has(h) ? 'loopback' : 'host' };
      const a = adminList.match(value);
      if (a !== undefined && !loopback.has(a)) {
        const user = admins.get(parseCidr(a)?.addr.toString() ?? a)?.user;
        return { entry: a, by: 'admin', ...(user === undefined ? {} : { user }) };
      }
      return undefined;
    },
    refreshIfDue: maybeRefresh,
    refresh() {
      const now = deps.clock.now();
      refreshHost(now);
      refreshAdmins(now);
    },
    counts: () => ({ configured: configured.entries.length, host: hostCount, admin: admins.size, errors }),
  };
}
