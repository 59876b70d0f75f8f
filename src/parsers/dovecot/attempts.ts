/** Most addresses whose recent records are remembered; the oldest is forgotten first. */
const MAX_PEERS = 4096;
/** A PAM record and dovecot's own record of the same `pam_authenticate()` call. */
const SAME_CALL_MS = 3_000;
/** How long a login process's summary may trail the auth records it sums up. */
const SUMMARY_MS = 10 * 60_000;

interface Peer {
  pamAt: number;
  authAt: number;
  /** Auth-process failures not yet summed up by a login process's `(auth failed, N attempts)`. */
  unsummed: number;
}

/** Which records of one failed login are its first, counted, record. */
export type AttemptRecord = 'pam' | 'passdb' | 'passdb-pam' | 'summary';

/**
 * One failed Dovecot login can be written up to three times: by PAM (`pam_unix(dovecot:auth):
 * authentication failure`), by the auth process with `auth_verbose = yes` (`pam(user,IP):
 * pam_authenticate() failed`, `sql(user,IP): Password mismatch`) and by the login process
 * when the client leaves (`imap-login: Disconnected (auth failed, 1 attempts)`), which is
 * the only one by default. Each stays a failure event; the ones that repeat an attempt
 * already written are flagged `leuko.auth.repeat`, so brute-force scenarios count attempts,
 * not lines, and a user's stale password is not tripled into a ban.
 */
export interface AttemptTracker {
  /** Whether this record of `ip` repeats an attempt already written. */
  (ip: string, record: AttemptRecord, time: number): boolean;
  /** The remembered addresses (undefined when none), for `restore` after a restart. */
  snapshot(): [string, number | null, number | null, number][] | undefined;
  /** Take back a `snapshot`; rows that do not read as one are skipped. */
  restore(rows: unknown): void;
}

/** A time as JSON keeps it: never (-Infinity) as null. */
const timeOut = (t: number): number | null => (Number.isFinite(t) ? t : null);
const timeIn = (t: unknown): number => (typeof t === 'number' && Number.isFinite(t) ? t : Number.NEGATIVE_INFINITY);

export function createAttemptTracker(): AttemptTracker {
  const peers = new Map<string, Peer>();
  const track = (ip: string, record: AttemptRecord, time: number): boolean => {
    let p = peers.get(ip);
    if (p === undefined) {
      if (peers.size >= MAX_PEERS) peers.delete(peers.keys().next().value as string);
      p = { pamAt: Number.NEGATIVE_INFINITY, authAt: Number.NEGATIVE_INFINITY, unsummed: 0 };
      peers.set(ip, p);
    }
    if (record === 'pam') {
      p.pamAt = time;
      p.authAt = time;
      p.unsummed++;
      return false;
    }
    if (record === 'passdb-pam' && time - p.pamAt <= SAME_CALL_MS) {
      // dovecot's own line for the PAM call just recorded.
      p.pamAt = Number.NEGATIVE_INFINITY;
      return true;
    }
    if (record === 'passdb' || record === 'passdb-pam') {
      p.authAt = time;
      p.unsummed++;
      return false;
    }
    // A login process's summary: a repeat when auth records of this address came just before.
    const repeat = p.unsummed > 0 && time - p.authAt <= SUMMARY_MS;
    p.unsummed = 0;
    return repeat;
  };
  return Object.assign(track, {
    snapshot(): [string, number | null, number | null, number][] | undefined {
      if (peers.size === 0) return undefined;
      return [...peers].map(([ip, p]) => [ip, timeOut(p.pamAt), timeOut(p.authAt), p.unsummed]);
    },
    restore(rows: unknown): void {
      if (!Array.isArray(rows)) return;
      for (const row of rows.slice(-MAX_PEERS)) {
        if (!Array.isArray(row) || typeof row[0] !== 'string') continue;
        const unsummed = typeof row[3] === 'number' && Number.isInteger(row[3]) && row[3] > 0 ? row[3] : 0;
        peers.set(row[0], { pamAt: timeIn(row[1]), authAt: timeIn(row[2]), unsummed });
      }
    },
  });
}
