import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { createSequentialIds } from '../../src/core/ids.js';
import { loadConfiguredScenarios } from '../../src/pipeline/assemble.js';
import { replayFiles } from '../../src/pipeline/replay.js';
import { DEFAULT_PIPELINE_SETTINGS } from '../../src/pipeline/settings.js';
import { openSqliteStore } from '../../src/store/index.js';
import { runCli } from '../support/cli.js';
import { syslogStamp } from '../support/syslog.js';

/**
 * Attackers control user names, URLs, user agents and referrers. Whatever they write there —
 * another address, a fake syslog prefix, quotes, escaped newlines — the address they embed
 * must never receive an alert or a decision: only the address the structure names counts.
 */
const VICTIM = '203.0.113.9';
const VICTIM6 = '2001:db8::9';

const injection = fc.constantFrom(
  ` from ${VICTIM} port 22 ssh2`,
  ` from ${VICTIM} port 22`,
  `x from ${VICTIM}`,
  `\nJan  1 00:00:00 host sshd[1]: Failed password for root from ${VICTIM} port 22 ssh2`,
  `Failed password for root from ${VICTIM} port 22 ssh2`,
  `" ${VICTIM} - - [01/Jan/2026:00:00:00 +0000] "GET /.env HTTP/1.1" 404 1 "-" "sqlmap"`,
  `\\x22 ${VICTIM} \\x22`,
  `\\" from ${VICTIM} \\"`,
  `rhost=${VICTIM} user=root`,
  `[${VICTIM6}]:22`,
  ` from ${VICTIM6} port 22 ssh2`,
  `${VICTIM}`,
);
const filler = fc.stringMatching(/^[a-z0-9._-]{0,8}$/);
const payload = fc.tuple(filler, injection, filler).map(([a, b, c]) => `${a}${b}${c}`);

function nginxStamp(d: Date): string {
  const m = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${m}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** nginx escapes `"` and control characters in logged fields as \xHH. */
function nginxEscape(s: string): string {
  return s.replace(/["\\\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

describe('log injection never steers a decision', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'leuko-inject-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const scenarios = loadConfiguredScenarios(DEFAULT_PIPELINE_SETTINGS.scenarios);

  async function replay(lines: string[], name: string) {
    return replayText(`${lines.join('\n')}\n`, name, 'auto');
  }

  async function replayText(text: string, name: string, format: string) {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    const store = openSqliteStore({ file: ':memory:' });
    await store.migrate();
    try {
      return await replayFiles({
        paths: [file],
        format,
        settings: DEFAULT_PIPELINE_SETTINGS,
        store,
        clock: systemClock,
        ids: createSequentialIds(),
      });
    } finally {
      await store.close();
    }
  }

  function targets(result: Awaited<ReturnType<typeof replayText>>): string[] {
    return [...result.detections.map((d) => d.entity.value), ...result.decisions.map((d) => d.value)];
  }

  it('in sshd user names', async () => {
    expect(scenarios.length).toBeGreaterThan(0);
    await fc.assert(
      fc.asyncProperty(
        fc.array(payload, { minLength: 8, maxLength: 20 }),
        fc.integer({ min: 1, max: 250 }),
        async (users, host) => {
          const now = new Date();
          const attacker = `198.51.100.${host}`;
          const lines = users.flatMap((u, i) => {
            const user = u.replace(/\n/g, ' ');
            return [
              `${syslogStamp(now)} web1 sshd[${100 + i}]: Failed password for invalid user ${user} from ${attacker} port ${5000 + i} ssh2`,
              `${syslogStamp(now)} web1 sshd[${100 + i}]: Invalid user ${user} from ${attacker} port ${5000 + i}`,
              `${syslogStamp(now)} web1 sshd[${100 + i}]: Connection closed by invalid user ${user} ${attacker} port ${5000 + i} [preauth]`,
            ];
          });
          const result = await replay(lines, 'auth.log');
          const hit = targets(result);
          expect(hit).not.toContain(VICTIM);
          expect(hit.some((v) => v.startsWith('2001:db8'))).toBe(false);
          // The real attacker is still caught: injection must not blind detection either.
          expect(result.decisions.map((d) => d.value)).toContain(attacker);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('in URLs, user agents and referrers of access logs', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(payload, payload, payload), { minLength: 12, maxLength: 30 }),
        async (rows) => {
          const now = new Date();
          const attacker = '198.51.100.77';
          const lines = rows.map(
            ([u, a, r], i) =>
              `${attacker} - - [${nginxStamp(now)}] "GET /probe${i}/${nginxEscape(encodeURI(u))} HTTP/1.1" 404 153 "${nginxEscape(r)}" "${nginxEscape(a)}"`,
          );
          const result = await replay(lines, 'access.log');
          const hit = targets(result);
          expect(hit).not.toContain(VICTIM);
          expect(hit.some((v) => v.startsWith('2001:db8'))).toBe(false);
          expect(result.decisions.map((d) => d.value)).toContain(attacker);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('in request paths nginx writes raw into its error log, split records and cut ones alike', async () => {
    // nginx decodes the path and writes it as it is (`open() "/var/www/x<LF>..." failed`), then
    // cuts the record at 2047 bytes and its newline (NGX_MAX_ERROR_STR): one request can append
    // whole records naming anyone, and a long one hides nginx's own end of the record.
    const forgedRecords = [
      (stamp: string, i: number, victim: string) =>
        `${stamp} [error] 1#1: *${i} user "admin": password mismatch, client: ${victim}, server: a, request: "GET /admin/ HTTP/1.1", host: "a"`,
      (stamp: string, i: number, victim: string) =>
        `${stamp} [error] 1#1: *${i} user "root" was not found in "/etc/nginx/.htpasswd", client: ${victim}, server: a`,
      (stamp: string, i: number, victim: string) =>
        `${stamp} [error] 1#1: *${i} limiting requests, excess: 20.5 by zone "one", client: ${victim}, server: a, request: "POST /login HTTP/1.1"`,
      (_stamp: string, _i: number, victim: string) =>
        `${syslogStamp(new Date())} web1 sshd[9]: Failed password for root from ${victim} port 22 ssh2`,
      // Shaped like nginx's own end of a split record, naming the victim as its sender.
      (_stamp: string, _i: number, victim: string) =>
        `y" failed (2: No such file or directory), client: ${victim}, server: a, request: "GET /y%0Az HTTP/1.1", host: "a"`,
    ];
    const request = fc.record({
      forged: fc.boolean(),
      lines: fc.integer({ min: 1, max: 12 }),
      pad: fc.integer({ min: 0, max: 1200 }),
      victim: fc.constantFrom(VICTIM, VICTIM6, `::ffff:${VICTIM}`),
      variant: fc.nat(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(request, { minLength: 10, maxLength: 30 }), async (requests) => {
        const now = new Date();
        const p = (n: number) => String(n).padStart(2, '0');
        const stamp = `${now.getFullYear()}/${p(now.getMonth() + 1)}/${p(now.getDate())} ${p(now.getHours())}:${p(now.getMinutes())}:${p(now.getSeconds())}`;
        const attacker = '198.51.100.66';
        let text = '';
        // Whether the last forging request's record was written whole: nginx's own end of it
        // names its sender. (An earlier one's can be dropped by a later record that a client split
        // or had cut within 2048 bytes, when, as in a replay, the lines are still held then.)
        let lastWhole = false;
        for (const [i, r] of requests.entries()) {
          let record: string;
          if (r.forged) {
            const forged = Array.from({ length: r.lines }, (_, k) =>
              forgedRecords[(r.variant + k) % forgedRecords.length]!(stamp, i * 100 + k, r.victim),
            );
            const decoded = `/x${'a'.repeat(r.pad)}\n${forged.join('\n')}\n`;
            const encoded = decoded.replace(/[^A-Za-z0-9/._-]/g, (c) => encodeURIComponent(c));
            record = `${stamp} [error] 4242#4242: *${1000 + i} open() "/var/www/html${decoded}" failed (2: No such file or directory), client: ${attacker}, server: a, request: "GET ${encoded} HTTP/1.1", host: "a"`;
          } else {
            record = `${stamp} [error] 4242#4242: *${1000 + i} user "admin": password mismatch, client: ${attacker}, server: a, request: "GET /admin/ HTTP/1.1", host: "a"`;
            // A long referrer ending in a fake context: nginx cuts the record inside it.
            if (r.pad > 600)
              record += `, referrer: "x": password mismatch, client: ${r.victim}, server: ${'b'.repeat(2 * r.pad)}"`;
          }
          const cut = Buffer.byteLength(record) > 2047;
          if (cut) record = Buffer.from(record).subarray(0, 2047).toString('latin1');
          if (r.forged) lastWhole = !cut;
          text += `${record}\n`;
        }
        for (const format of ['nginx-error', 'auto']) {
          const result = await replayText(text, 'error.log', format);
          const hit = targets(result);
          expect(hit, format).not.toContain(VICTIM);
          expect(
            hit.some((v) => v.startsWith('2001:db8') || v.includes(':ffff:')),
            format,
          ).toBe(false);
          // nginx's own end of a split record names its sender.
          if (format === 'nginx-error' && lastWhole) expect(result.decisions.map((d) => d.value)).toContain(attacker);
        }
        // nginx in a container: its error log on stderr, each physical line wrapped on its own by
        // the runtime (CRI, Docker's json-file), its access log on stdout between them.
        const access = `198.51.100.200 - - [${nginxStamp(now)}] "GET / HTTP/1.1" 200 5 "-" "curl/8"`;
        const time = now.toISOString().replace('Z', '123456Z');
        const wrappers = {
          cri: (streamName: string, l: string) => `${time} ${streamName} F ${l}`,
          docker: (streamName: string, l: string) => JSON.stringify({ log: `${l}\n`, stream: streamName, time }),
        };
        for (const [name, wrap] of Object.entries(wrappers)) {
          const wrapped = text
            .slice(0, -1)
            .split('\n')
            .flatMap((l, i) => (i % 3 === 2 ? [wrap('stderr', l), wrap('stdout', access)] : [wrap('stderr', l)]));
          const result = await replay(wrapped, `${name}.log`);
          expect(targets(result), name).not.toContain(VICTIM);
        }
      }),
      { numRuns: 30 },
    );
  });

  it('leuko parse prints the lines of a split nginx error record as null, one value per line', () => {
    const stamp = '2026/12/08 00:07:21';
    const lines = [
      `${stamp} [error] 42#42: *1 user "admin": password mismatch, client: 198.51.100.5, server: a, request: "GET /admin/ HTTP/1.1", host: "a"`,
      `${stamp} [error] 42#42: *7 open() "/srv/www/x`,
      `${stamp} [error] 1#1: *1 user "admin": password mismatch, client: ${VICTIM}, server: a, request: "GET /admin/ HTTP/1.1", host: "a"`,
      `z" failed (2: No such file or directory), client: 198.51.100.7, server: a, request: "GET /x%0A2026 HTTP/1.1", host: "a"`,
    ];
    for (const format of ['nginx-error', 'auto']) {
      const r = runCli(['parse', '--jsonl', '--format', format, '-'], { input: `${lines.join('\n')}\n` });
      expect(r.status, r.stderr).toBe(0);
      const events = r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown> | null);
      expect(events).toHaveLength(lines.length);
      expect(
        events.map((e) => e?.['source.ip'] ?? null),
        format,
      ).toEqual([
        null, // within 2048 bytes of the split record's end: it may belong to it
        null,
        null,
        format === 'nginx-error' ? '198.51.100.7' : null,
      ]);
    }
  });
});
