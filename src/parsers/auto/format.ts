import type { ParsedLine } from '../../core/event.js';
import type { LineParser, ParseContext } from '../../core/parser.js';
import { asteriskLine } from '../asterisk/handler.js';
import { auditdParser } from '../auditd/format.js';
import { createAxigenReader } from '../axigen/log.js';
import { defineParser } from '../define-parser.js';
import { createContainerUnwrapper } from './container.js';
import { dominoLine } from '../domino/handler.js';
import { endlesshLine } from '../endlessh/handler.js';
import { cowrieLogLine } from '../cowrie/handler.js';
import { createEjabberdReader } from '../ejabberd/log.js';
import { eximLine } from '../exim/format.js';
import { fail2banLogLine } from '../fail2ban-log/handler.js';
import { freeswitchLine } from '../freeswitch/handler.js';
import { hldsLine } from '../hlds/handler.js';
import { kerioLine } from '../kerio/security.js';
import { mssqlLine } from '../mssql/errorlog.js';
import { openvpnLine } from '../openvpn/handler.js';
import { vsftpdLine } from '../ftp/format.js';
import { createJsonReader } from '../json/format.js';
import { parseJsonObject } from '../json/object.js';
import { parseMysqlMessage } from '../mysqld/message.js';
import { namedLine } from '../named/handler.js';
import { nsdLogLine } from '../nsd/handler.js';
import { mysqlNativeHead } from '../mysqld/native.js';
import { roundcubeLine } from '../roundcube/handler.js';
import { lighttpdErrorLine } from '../lighttpd/error.js';
import { litespeedErrorLine } from '../web/litespeed.js';
import { createIisReader } from '../web/iis.js';
import { createMongoTextReader } from '../mongodb/log.js';
import { monitLogLine } from '../monit/handler.js';
import { murmurLogLine } from '../murmur/handler.js';
import { portsentryHistoryLine } from '../portsentry/handler.js';
import { postgresLine } from '../postgresql/format.js';
import { proxmoxAuthLogLine } from '../proxmox/handler.js';
import { ctimeAppLine } from '../webapps/ctime-apps.js';
import { homeAssistantLine } from '../webapps/home-assistant.js';
import { createGuacamoleReader } from '../webapps/guacamole.js';
import { keycloakLine } from '../webapps/keycloak.js';
import { navidromeLine, selfHostedLoginLine } from '../webapps/self-hosted.js';
import { autheliaLine } from '../webapps/sso.js';
import { zimbraLine } from '../zimbra/mailbox.js';
import { squidAccessLine } from '../squid/access.js';
import { stunnelLogLine } from '../stunnel/handler.js';
import { windowsEventLine } from '../windows/event-xml.js';
import { webAppLoginLine } from '../webapps/logins.js';
import { createStream } from '../shared/stream.js';
import { journalEntryToLine } from '../journald/entry-to-line.js';
import { createSyslogDispatcher } from '../syslog/dispatch.js';
import { parseEnvelope } from '../syslog/envelope.js';
import { dispatcherSnapshot, restoreDispatcher, timelessLine } from '../syslog/line-parser.js';
import { isAccessShaped } from '../web/access.js';
import { HTTP_ACCESS_DATASETS } from '../../core/datasets.js';
import { accessLine, apacheErrorLine, nginxErrorLine } from '../web/formats.js';
import { withNginxRecordGate } from '../web/nginx-records.js';
import { albLine } from '../web/alb.js';
import { zoraxyLine } from '../web/zoraxy.js';
import { couchdbLine } from '../couchdb/log.js';
import { exchangeLine } from '../exchange/protocol-log.js';
import { cpanelLine, gotifyLine, wingsLine } from '../webapps/hosting.js';

const ACCESS_DATASETS: ReadonlySet<string> = new Set(HTTP_ACCESS_DATASETS);

/**
 * Which dataset an access line gets: the formats are the same for nginx and Apache, so the
 * file name decides (`/var/log/apache2/...`, `httpd`), else nginx, the common case.
 */
function accessDataset(ctx: ParseContext): string {
  const p = (ctx.logPath ?? '').toLowerCase();
  return p.includes('apache') || p.includes('httpd') ? 'apache.access' : 'nginx.access';
}

/**
 * Recognize each line's format from its content, cheapest test first by the first character:
 * JSON objects, `<PRI>` syslog, `[`-dated Apache error and NPM access lines, digit-led nginx
 * error / MySQL / Exim mainlog / access / ISO-syslog lines, auditd's `type=`/`node=` records,
 * vsftpd's own weekday-led log, and month-led syslog. Each test checks a fixed shape and fails
 * fast; state (sshd connections, syslog year, auditd's open event) lives in one instance per
 * stream.
 */
export const autoParser = defineParser({
  name: 'auto',
  description: 'Detect the format of each line from its content (JSON, access/error logs, syslog and its programs)',
  create(ctx) {
    const stream = createStream(ctx);
    const d = createSyslogDispatcher(stream);
    const dataset = accessDataset(ctx);
    // MongoDB's text log (before 4.4) remembers failed connections until they end.
    const mongo = createMongoTextReader();
    // ejabberd's old records take their time from the header line above them.
    const ejabberd = createEjabberdReader();
    // Guacamole's records under Tomcat take their time from the line above them.
    const guacamole = createGuacamoleReader();
    // Axigen's records name their client once per session.
    const axigen = createAxigenReader();
    // IIS's W3C log names its columns in a `#Fields:` directive.
    const iis = createIisReader();
    const syslog = (line: string): ParsedLine | null => {
      const env = parseEnvelope(line, stream);
      return env === null ? null : d.handle(line, env);
    };
    // auditd joins records per event serial, so it keeps one instance for the whole stream,
    // made on its first record (most streams never have one).
    let auditd: LineParser | undefined;
    const audit = (line: string): ParsedLine | null => {
      auditd ??= auditdParser.create(ctx);
      return auditd(line);
    };
    // `journalctl -o json` exports: each entry read as the syslog line it stands for, so sshd,
    // sudo, postfix... parse it (the journald source does the same with a live journal).
    // The object is parsed once; one that is not a journal entry goes on to the JSON reader.
    const readJson = createJsonReader(stream);
    const jsonLine = (line: string): ParsedLine | null => {
      const doc = parseJsonObject(line);
      if (doc === undefined) return null;
      if (line.includes('"__REALTIME_TIMESTAMP"') && line.includes('"MESSAGE"')) {
        const text = journalEntryToLine(doc, 'iso');
        if (text !== null) {
          const r = syslog(text);
          if (r !== null) return r;
        }
      }
      return readJson(line, doc);
    };
    // `[`-led lines no other reader took: self-hosted applications' logs, Kerio Connect's security
    // log, Domino's console behind its `[PID:TID]`, else syslog (each may drop a line: null).
    const bracketed = (line: string): ParsedLine | null => {
      const app = selfHostedLoginLine(stream, line);
      if (app !== undefined) return app;
      const kerio = kerioLine(stream, line);
      if (kerio !== undefined) return kerio;
      const domino = dominoLine(stream, line);
      return domino !== undefined ? domino : syslog(line);
    };
    const readLine: LineParser = (line) => {
      const c = line.charCodeAt(0);
      if ((c === 116 && line.startsWith('type=')) || (c === 110 && line.startsWith('node='))) return audit(line);
      if (c === 123) return jsonLine(line);
      if (c === 60) {
        // Windows Security logon events as XML lines (`<Event xmlns=...>`).
        const win = windowsEventLine(stream, line);
        if (win !== undefined) return win;
        // Murmur's own log leads with `<W>`, a level no syslog priority spells.
        return murmurLogLine(stream, line) ?? syslog(line);
      }
      if (c === 64) return syslog(line);
      if (c === 35) {
        const directive = iis.directive(line);
        if (directive !== undefined) return directive;
      }
      if (c === 91) {
        // Own logs of Gotify (`[GIN] `), cPanel and CouchDB; a line of theirs dropped as
        // ambiguous stays dropped (null, not undefined).
        const own = gotifyLine(stream, line) ?? cpanelLine(stream, line) ?? couchdbLine(stream, line);
        if (own !== undefined) return own;
        return (
          roundcubeLine(stream, line) ??
          asteriskLine(stream, line) ??
          apacheErrorLine(stream, line) ??
          accessLine(stream, line, dataset) ??
          monitLogLine(stream, line) ??
          webAppLoginLine(stream, line) ??
          nsdLogLine(stream, line) ??
          bracketed(line)
        );
      }
      if (c >= 48 && c <= 57) {
        // Zoraxy's request log shares nginx's error-log prefix (`yyyy/mm/dd hh:mm:ss [`).
        const zx = zoraxyLine(stream, line);
        if (zx !== undefined) return zx;
        const ne = nginxErrorLine(stream, line);
        if (ne !== undefined) return ne;
        // Axigen's own log: `YYYY-MM-DD HH:MM:SS +ZZZZ LL host SERVICE:SESSION: ` (before Exim's,
        // whose main log may also carry a zone after the time).
        const ax = axigen.line(stream, line);
        if (ax !== undefined) return ax;
        const my = mysqlNativeHead(line, stream.local);
        if (my !== null) {
          const ev = stream.event(line, my[0], 'mysqld');
          parseMysqlMessage(line.slice(my[1]), ev);
          return stream.done(ev, my[0]);
        }
        const ex = eximLine(stream, line, false);
        if (ex !== undefined) return ex;
        const dns = namedLine(stream, line);
        if (dns !== undefined) return dns;
        const ms = exchangeLine(stream, line);
        if (ms !== undefined) return ms;
        const access = accessLine(stream, line, dataset);
        if (access !== null) return access;
        // Squid's access.log, led by its epoch with milliseconds (an unreadable client: null).
        const proxy = squidAccessLine(stream, line);
        if (proxy !== undefined) return proxy;
        // Own logs that start with a date (or, PostgreSQL's, an address) and no syslog program:
        // read before the ISO-syslog reading, which would take their first word for a host.
        // (A PostgreSQL record dropped as ambiguous stays dropped: null, not undefined.)
        const pg = postgresLine(stream, d, line);
        if (pg !== undefined) return pg;
        // Before MongoDB's text reader, which would take Uptime Kuma's `[AUTH]` for a thread.
        const app = selfHostedLoginLine(stream, line);
        if (app !== undefined) return app;
        const guac = guacamole.line(stream, line);
        if (guac !== undefined) return guac;
        const honeypot = cowrieLogLine(stream, line);
        if (honeypot !== undefined) return honeypot;
        const xmpp = ejabberd.line(stream, line);
        if (xmpp !== undefined) return xmpp;
        const f2b = fail2banLogLine(stream, line);
        if (f2b !== undefined) return f2b;
        // OpenVPN's own log, `YYYY-MM-DD HH:MM:SS PEER TLS Error: ...`, after the readers whose
        // lines may hold its words as client text (a line it drops as ambiguous stays dropped).
        const vpn = openvpnLine(stream, line);
        if (vpn !== undefined) return vpn;
        const own =
          lighttpdErrorLine(stream, line) ??
          litespeedErrorLine(stream, line) ??
          iis.line(stream, line) ??
          mongo.line(stream, line) ??
          endlesshLine(stream, line) ??
          freeswitchLine(stream, line) ??
          webAppLoginLine(stream, line) ??
          proxmoxAuthLogLine(stream, line) ??
          portsentryHistoryLine(stream, line) ??
          stunnelLogLine(stream, line) ??
          mssqlLine(stream, line);
        if (own !== undefined) return own;
        const domino = dominoLine(stream, line);
        if (domino !== undefined) return domino;
        // Readers that drop a line of theirs with an ambiguous address (null, not undefined).
        const ha = homeAssistantLine(stream, line);
        if (ha !== undefined) return ha;
        const kc = keycloakLine(stream, line);
        if (kc !== undefined) return kc;
        const zm = zimbraLine(stream, line);
        return zm !== undefined ? zm : syslog(line);
      }
      // vsftpd.log's `Www Mmm d hh:mm:ss yyyy [pid N]`: rejected by its 4th character or month
      // for syslog's `Mmm dd`.
      const own = vsftpdLine(stream, line) ?? ctimeAppLine(stream, line);
      if (own !== undefined) return own;
      // OpenVPN's own log before 2.5: `Www Mmm d hh:mm:ss yyyy PEER TLS Error: ...`.
      const vpn = openvpnLine(stream, line);
      if (vpn !== undefined) return vpn;
      // The Half-Life / Source dedicated servers' `L MM/DD/YYYY - ` log.
      if (c === 76) {
        const game = hldsLine(stream, line);
        if (game !== undefined) return game;
      }
      // Guacamole under Tomcat: `WARNING: ` records and their heads.
      const guac = guacamole.line(stream, line);
      if (guac !== undefined) return guac;
      // Ruby's Logger (`W, [`), Mealie's console (`ERROR `), qBittorrent (`(W) `), Tine 2.0 (hex ids),
      // ISPConfig (`Failed login`), RomM's nginx (`INFO: `).
      if (c === 87 || c === 69 || c === 40 || c === 70 || c === 73 || (c >= 97 && c <= 102)) {
        const app = selfHostedLoginLine(stream, line);
        if (app !== undefined) return app;
      }
      // Pterodactyl Wings (`WARN: [`, also seen led by a space).
      if (c === 87 || c === 32) {
        const wings = wingsLine(stream, line);
        if (wings !== undefined) return wings;
      }
      // AWS ALB access logs lead with the request type (`https `, `h2 `, `wss `...).
      if (c === 104 || c === 103 || c === 119) {
        const alb = albLine(stream, line);
        if (alb !== undefined) return alb;
      }
      if (c === 61 || line.charCodeAt(1) === 40) {
        // ejabberd's old `=INFO REPORT==== TIME ===` headers and the `I(<...>` records under them.
        const xmpp = ejabberd.line(stream, line);
        if (xmpp !== undefined) return xmpp;
      } else if (c === 116) {
        // Navidrome's logfmt (`time="...`).
        const app = navidromeLine(stream, line);
        if (app !== undefined) return app;
      }
      return (
        syslog(line) ??
        accessLine(stream, line, dataset) ??
        // PostgreSQL's own log with an IPv6 client first (`%h %m [%p] `).
        postgresLine(stream, d, line) ??
        // Grafana's and Miniflux's logfmt, Authelia's.
        webAppLoginLine(stream, line) ??
        autheliaLine(stream, line) ??
        timelessLine(line, stream, d)
      );
    };
    // An access line's vhost comes first and is the client's Host header, spaces and all on some
    // servers (nginx before 1.21.1, Apache's %{Host}i): a whole record of another program there
    // (`Jun 14 09:00:00 x postfix/smtpd[1]: warning: unknown[203.0.113.9]: SASL LOGIN
    // authentication failed: x`), the real access line after it, reads as that program's. In a
    // stream of access lines (by its file's name, or once a bare one was read) a line shaped like
    // one is read as one or dropped. Access records inside syslog envelopes (a container's, a web
    // server's tag) carry their program and leave a mixed stream as it is: there no vhost comes
    // first, and a user name shaped like an access line must not hide an sshd failure.
    let accessStream = /access/i.test(ctx.logPath ?? '');
    const parseLine: LineParser = (line) => {
      const r = readLine(line);
      if (r === null) return r;
      const ds = r.event['event.dataset'];
      if (typeof ds === 'string' && ACCESS_DATASETS.has(ds)) {
        if (r.event['process.name'] === undefined) accessStream = true;
        return r;
      }
      return accessStream && isAccessShaped(line) ? null : r;
    };
    // Lines inside a container runtime's wrapper (CRI, Docker's json-file, `docker compose logs`)
    // are read as the application wrote them; a wrapper only likely (compose's prefix) falls back
    // to the whole line when its text does not parse.
    const container = createContainerUnwrapper();
    // The last line's text inside its wrapper and its stream, for the record gate below: nginx's
    // error log on a container's stderr has each physical line of a record wrapped on its own.
    let wrapped: { line: string; text: string; channel: string } | undefined;
    const parse: LineParser = (line) => {
      const inner = container.unwrap(line);
      wrapped = inner ? { line, text: inner.text, channel: inner.stream ?? 'wrapped' } : undefined;
      if (inner === undefined) return parseLine(line);
      if (inner === null) return null;
      const r = parseLine(inner.text);
      return r === null && inner.tentative ? parseLine(line) : r;
    };
    // At the end of a stream: auditd's open event, and a container's last line if its runtime
    // never wrote the part that completes it.
    parse.drain = () => {
      const held = [...(auditd?.drain?.() ?? [])];
      for (const text of container.flush()) {
        const r = parseLine(text);
        if (r !== null) held.push(r);
      }
      return held;
    };
    // Beside the dispatcher's handlers: auditd's open event, ejabberd's last header time, the
    // parts of a container's long line not yet complete and the columns of IIS's last `#Fields:`.
    parse.snapshot = () => {
      const a = auditd?.snapshot?.();
      const header = ejabberd.snapshot();
      const parts = container.snapshot();
      const columns = iis.snapshot();
      const extra = {
        ...(a === undefined ? {} : { auditd: a }),
        ...(header === undefined ? {} : { ejabberd: header }),
        ...(parts === undefined ? {} : { container: parts }),
        ...(columns === undefined ? {} : { iis: columns }),
      };
      return dispatcherSnapshot(d, extra);
    };
    parse.restore = (text) => {
      const state = restoreDispatcher(d, text);
      if (typeof state.ejabberd === 'number' && Number.isFinite(state.ejabberd)) ejabberd.restore(state.ejabberd);
      container.restore(state.container);
      iis.restore(state.iis);
      if (typeof state.auditd !== 'string') return;
      auditd ??= auditdParser.create(ctx);
      auditd.restore?.(state.auditd);
    };
    // An nginx error log read here, bare or inside a container's records: a record whose path
    // held a line break is several lines.
    return withNginxRecordGate(parse, stream, 'auto', (line) =>
      wrapped !== undefined && wrapped.line === line ? wrapped : undefined,
    );
  },
});
