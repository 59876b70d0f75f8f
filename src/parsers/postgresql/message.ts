import type { EcsEvent } from '../../core/event.js';
import { parsePeer, type Peer, peerText, setPeer, setSource, toPort } from '../shared/address.js';
import { DATABASE_AUTH } from '../shared/stream.js';

/**
 * PostgreSQL's message levels as its logs write them: `FATAL:  password authentication ...`
 * (two spaces after the colon, whatever the prefix before it).
 */
const LEVEL = /(?:^|[\s:])(LOG|FATAL|ERROR|WARNING|PANIC|DETAIL|HINT|STATEMENT|NOTICE|INFO|CONTEXT|DEBUG[1-5]?): {2}/g;

/** Whether `line` has a PostgreSQL level marker at or after `from`. */
export function hasPostgresLevel(line: string, from: number): boolean {
  LEVEL.lastIndex = from;
  return LEVEL.exec(line) !== null;
}

/** Connections remembered per stream for their backend's later lines (one backend per connection). */
const MAX_CONNECTIONS = 10_000;

const RECEIVED = /^connection received: host=(\S+?)(?: port=(\d{1,5}))?$/;
const FAILED = /^(\S+(?: \S+)?) authentication failed for user "(.*)"$/;
const NO_HBA =
  /^no pg_hba\.conf entry for (?:replication connection from )?host "([^"]+)", user "(.*?)"(?:, database "(.*)")?, /;
const NO_ROLE = /^role "(.*)" does not exist$/;
const AUTHORIZED = /^connection authorized: user=(\S*)(?: database=(\S*))?/;

/** Where the client of a record's backend is known from the record itself, before any client text. */
export interface TrustedClient {
  readonly peer: Peer;
  readonly port: number | undefined;
}

export interface PostgresReader {
  /**
   * Read a record into `ev`. `body` is the record after its time (and after the syslog
   * envelope): the rest of `log_line_prefix`, the level and the message. `pid` is the
   * backend's, when the layout names it; `trusted` a client address the layout puts before
   * any client-chosen text.
   */
  read(body: string, pid: number | undefined, trusted: TrustedClient | undefined, ev: EcsEvent): void;
  snapshot(): unknown;
  restore(state: unknown): void;
}

/**
 * PostgreSQL authentication records, with the client address of each failure from a place the
 * client cannot write: the `connection received: host=H port=P` record of the same backend
 * (`log_connections = on`), or an address the layout puts first (see native.ts). The user
 * name, database and application name in the prefix are the client's own text, so a record
 * whose text holds a second level marker (`x FATAL:  no pg_hba.conf entry for host "9.9.9.9"`
 * as a user name) is read without any address: its message cannot be told from the client's.
 */
export function createPostgresReader(): PostgresReader {
  const clients = new Map<number, { peer: Peer; port: number | undefined }>();
  const remember = (pid: number, peer: Peer, port: number | undefined) => {
    clients.delete(pid);
    clients.set(pid, { peer, port });
    if (clients.size > MAX_CONNECTIONS) clients.delete(clients.keys().next().value!);
  };
  return {
    read(body, pid, trusted, ev) {
      ev['event.dataset'] = 'postgresql';
      LEVEL.lastIndex = 0;
      const m = LEVEL.exec(body);
      if (m === null) return;
      const level = m[1]!;
      ev['log.level'] = level.toLowerCase();
      const start = m.index + m[0].length;
      LEVEL.lastIndex = start;
      const ambiguous = LEVEL.exec(body) !== null;
      const msg = body.slice(start).trimEnd();
      const client = ambiguous ? undefined : (trusted ?? (pid === undefined ? undefined : clients.get(pid)));
      if (level === 'LOG') {
        const rec = RECEIVED.exec(msg);
        if (rec !== null) {
          ev['event.action'] = 'db_connection_received';
          ev['event.category'] = ['network'];
          const peer = ambiguous ? undefined : parsePeer(rec[1]!);
          if (peer === undefined) return;
          const port = rec[2] === undefined ? undefined : toPort(rec[2]);
          setPeer(ev, peer, port);
          if (pid !== undefined) remember(pid, peer, port);
          return;
        }
        const ok = AUTHORIZED.exec(msg);
        if (ok !== null) {
          ev['event.category'] = DATABASE_AUTH;
          ev['event.action'] = 'db_login';
          ev['event.outcome'] = 'success';
          ev['user.name'] = ok[1]!;
          if (client !== undefined) setPeer(ev, client.peer, client.port);
        }
        return;
      }
      if (level !== 'FATAL') return;
      let user: string | undefined;
      let method: string | undefined;
      let hbaHost: string | undefined;
      const failed = FAILED.exec(msg);
      if (failed !== null) {
        method = failed[1]!.toLowerCase();
        user = failed[2]!;
      } else {
        const hba = NO_HBA.exec(msg);
        if (hba !== null) {
          method = 'pg_hba';
          user = hba[2]!;
          hbaHost = hba[1]!;
        } else {
          const role = NO_ROLE.exec(msg);
          if (role === null) return;
          method = 'no_role';
          user = role[1]!;
        }
      }
      ev['event.category'] = DATABASE_AUTH;
      ev['event.action'] = 'db_auth_failure';
      ev['event.outcome'] = 'failure';
      ev['user.name'] = user;
      ev['leuko.db.auth_method'] = method;
      if (client !== undefined) setPeer(ev, client.peer, client.port);
      else if (hbaHost !== undefined && !ambiguous) {
        // The server's own view of the client, written before the user and database the client chose.
        setSource(ev, hbaHost);
      }
    },
    snapshot() {
      if (clients.size === 0) return undefined;
      return [...clients].map(([pid, c]) => [pid, peerText(c.peer), c.port ?? null]);
    },
    restore(state) {
      if (!Array.isArray(state)) return;
      for (const row of state) {
        if (!Array.isArray(row) || typeof row[0] !== 'number' || typeof row[1] !== 'string') continue;
        const peer = parsePeer(row[1]);
        if (peer !== undefined) remember(row[0], peer, typeof row[2] === 'number' ? row[2] : undefined);
      }
    },
  };
}
