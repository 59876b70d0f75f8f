import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../core/clock.js';
import { createParser } from '../index.js';

const parser = (format = 'postgresql') =>
  createParser(format, { clock: createManualClock(Date.parse('2024-06-15T12:00:00Z')) });

const received = (pid: number, ip: string) =>
  `2024-05-02 10:00:00.101 UTC [${pid}] [unknown]@[unknown] LOG:  connection received: host=${ip} port=51234`;

describe('postgresql', () => {
  for (const format of ['postgresql', 'auto']) {
    it(`gives a failure the client of its backend, by pid (${format})`, () => {
      const p = parser(format);
      p(received(4242, '203.0.113.50'));
      p(received(4243, '203.0.113.51'));
      const e = p(
        '2024-05-02 10:00:00.120 UTC [4242] bob@shop FATAL:  password authentication failed for user "bob"',
      )?.event;
      expect(e).toMatchObject({
        'event.dataset': 'postgresql',
        'event.category': ['database', 'authentication'],
        'event.action': 'db_auth_failure',
        'event.outcome': 'failure',
        'source.ip': '203.0.113.50',
        'source.port': 51234,
        'user.name': 'bob',
        'leuko.db.auth_method': 'password',
        'log.level': 'fatal',
      });
      // Another backend with no `connection received` record: no address.
      const unknown = p(
        '2024-05-02 10:00:00.130 UTC [9999] eve@shop FATAL:  password authentication failed for user "eve"',
      );
      expect(unknown?.event['event.outcome']).toBe('failure');
      expect(unknown?.event['source.ip']).toBeUndefined();
    });
  }

  it('keeps the backends it knows across a restart (parser snapshot)', () => {
    const first = parser();
    first(received(77, '203.0.113.70'));
    const second = parser();
    second.restore?.(first.snapshot?.() ?? '');
    const e = second('2024-05-02 10:00:01 UTC [77] x@y FATAL:  role "x" does not exist')?.event;
    expect(e?.['source.ip']).toBe('203.0.113.70');
  });

  it('counts a scan of role names as account enumeration (leuko/auth-user-enum)', async () => {
    const { builtinScenarioDir, createScenarioEngine, loadScenarios } = await import(
      '../../detectors/scenarios/index.js'
    );
    const { createSequentialIds } = await import('../../core/ids.js');
    const engine = createScenarioEngine(loadScenarios([builtinScenarioDir()]).scenarios, {
      ids: createSequentialIds(),
    });
    const p = parser();
    const found: string[] = [];
    for (const [i, user] of ['postgres', 'admin', 'root', 'test', 'oracle', 'user'].entries()) {
      for (const line of [
        received(100 + i, '198.51.100.20'),
        `2024-05-02 10:00:0${i}.500 UTC [${100 + i}] ${user}@postgres FATAL:  password authentication failed for user "${user}"`,
      ]) {
        const r = p(line);
        if (r)
          for (const d of engine.process({ time: r.time, event: r.event, sourceId: 'pg' }))
            found.push(`${d.scenario} ${d.entity.value}`);
      }
    }
    expect(found).toContain('leuko/auth-user-enum 198.51.100.20');
  });

  const FAKE = '10.66.66.66';
  const fragments = [
    ` FATAL:  no pg_hba.conf entry for host "${FAKE}", user "`,
    ` LOG:  connection received: host=${FAKE} port=1`,
    ` FATAL:  password authentication failed for user "`,
    `${FAKE} `,
    `${FAKE}(5432)`,
    '", database "x", SSL off',
    '@',
    '"',
    ' ',
    ':',
  ];
  const text = fc
    .array(fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 8 })), { maxLength: 5 })
    .map((parts) => parts.join('').replace(/[\r\n]/g, ' '));
  const realIp = fc.ipV4().filter((ip) => ip !== FAKE);

  it('never takes an address from the user or database name a client chose (property)', () => {
    fc.assert(
      fc.property(realIp, text, text, (ip, user, db) => {
        const lines = [
          [
            received(5, ip),
            `2024-05-02 10:00:01 UTC [5] ${user}@${db} FATAL:  password authentication failed for user "${user}"`,
          ],
          [
            `2024-05-02 10:00:01 UTC [6] ${user}@${db} FATAL:  no pg_hba.conf entry for host "${ip}", user "${user}", database "${db}", SSL off`,
          ],
          [
            `${ip} 2024-05-02 10:00:01.000 UTC [7] ${user}@${db} FATAL:  password authentication failed for user "${user}"`,
          ],
          [
            `2024-05-02 10:00:01 UTC:${ip}(5432):${user}@${db}:[8]:FATAL:  password authentication failed for user "${user}"`,
          ],
        ];
        for (const group of lines) {
          const p = parser('auto');
          let last: ReturnType<typeof p> = null;
          for (const line of group) last = p(line);
          const got = last?.event['source.ip'];
          if (got !== undefined) expect(got, group.join('\n')).toBe(ip);
        }
      }),
      { numRuns: 300 },
    );
  });
});
