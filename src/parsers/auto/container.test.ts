import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../core/clock.js';
import { createParser } from '../index.js';
import { createContainerUnwrapper, MAX_JOINED } from './container.js';

const NOW = Date.parse('2024-06-15T12:00:00Z');
const auto = () => createParser('auto', { clock: createManualClock(NOW) });
const ACCESS = '203.0.113.9 - - [14/Jun/2024:18:00:00 +0000] "GET /.env HTTP/1.1" 404 153 "-" "curl/8.0"';
const SSHD = 'Jun 14 09:00:00 web1 sshd[7]: Failed password for root from 198.51.100.4 port 50022 ssh2';
const HUB = path.resolve(import.meta.dirname, '../../../../shared/corpora/crowdsec-hub/tests');

describe('container log wrappers', () => {
  it("unwraps CRI records and joins a long line's parts per stream", () => {
    const u = createContainerUnwrapper();
    expect(u.unwrap(`2024-06-14T18:00:00.123456789Z stdout F ${ACCESS}`)).toEqual({
      text: ACCESS,
      tentative: false,
      stream: 'stdout',
    });
    expect(u.unwrap(`2024-06-14T18:00:00.1Z stdout P ${ACCESS.slice(0, 20)}`)).toBeNull();
    // The other stream's line in between does not mix with the held part.
    expect(u.unwrap('2024-06-14T18:00:00.2Z stderr F other')).toEqual({
      text: 'other',
      tentative: false,
      stream: 'stderr',
    });
    expect(u.unwrap(`2024-06-14T18:00:00.3Z stdout F ${ACCESS.slice(20)}`)).toEqual({
      text: ACCESS,
      tentative: false,
      stream: 'stdout',
    });
    expect(u.unwrap('2024-06-14T18:00:00Z stdout F')).toEqual({ text: '', tentative: false, stream: 'stdout' });
  });

  it("unwraps Docker's json-file records, a part being a `log` without its newline", () => {
    const u = createContainerUnwrapper();
    const rec = (log: string, stream = 'stdout') => JSON.stringify({ log, stream, time: '2024-06-14T18:00:00.1Z' });
    expect(u.unwrap(rec(`${ACCESS}\n`))).toEqual({ text: ACCESS, tentative: false, stream: 'stdout' });
    expect(u.unwrap(rec(`${ACCESS}\r\n`, 'stderr'))).toEqual({ text: ACCESS, tentative: false, stream: 'stderr' });
    expect(u.unwrap(rec(ACCESS.slice(0, 30)))).toBeNull();
    expect(u.unwrap(rec(`${ACCESS.slice(30)}\n`))).toEqual({ text: ACCESS, tentative: false, stream: 'stdout' });
    // Other JSON lines are not Docker's: no `stream` and `time` beside `log`.
    expect(u.unwrap('{"log":"x\\n"}')).toBeUndefined();
    expect(u.unwrap('{"level":"info","msg":"x"}')).toBeUndefined();
    expect(u.unwrap('{"log":"unterminated')).toBeUndefined();
  });

  it("takes `docker compose logs`' prefix, with or without its timestamps, as only likely", () => {
    const u = createContainerUnwrapper();
    expect(u.unwrap(`web-1  | ${ACCESS}`)).toEqual({ text: ACCESS, tentative: true, stream: 'web-1  |' });
    expect(u.unwrap(`app_1     | 2024-05-01T12:00:00.123456789Z ${SSHD}`)).toEqual({
      text: SSHD,
      tentative: true,
      stream: 'app_1     |',
    });
    expect(u.unwrap('web-1  |')).toEqual({ text: '', tentative: true, stream: 'web-1  |' });
  });

  it('leaves lines of other formats alone', () => {
    const u = createContainerUnwrapper();
    for (const line of [
      SSHD,
      ACCESS,
      '2024-06-14T18:00:00.123456+00:00 web1 sshd[7]: Accepted publickey for deploy from 198.51.100.4 port 22 ssh2',
      '2024-06-14T18:00:00Z web1 sshd[7]: Connection closed by 198.51.100.4 port 22',
      '2024/06/14 18:00:00 [error] 1#1: *1 open() "/x" failed (2: No such file or directory), client: 198.51.100.4',
      '2024-06-14 18:00:00.000 | INFO     | app:main:1 - started',
      'type=USER_LOGIN msg=audit(1718388000.000:1): res=failed',
      '',
    ])
      expect(u.unwrap(line), line).toBeUndefined();
  });

  it('drops a line whose parts grow past the limit, and the rest of it', () => {
    const u = createContainerUnwrapper();
    const part = 'A'.repeat(64 * 1024);
    for (let i = 0; i * part.length <= MAX_JOINED; i++)
      expect(u.unwrap(`2024-06-14T18:00:00Z stdout P ${part}`)).toBeNull();
    expect(u.unwrap('2024-06-14T18:00:00Z stdout P more')).toBeNull();
    expect(u.unwrap('2024-06-14T18:00:00Z stdout F end')).toBeNull();
    expect(u.unwrap('2024-06-14T18:00:00Z stdout F next')).toEqual({
      text: 'next',
      tentative: false,
      stream: 'stdout',
    });
    expect(u.snapshot()).toBeUndefined();
  });

  it('keeps a held part across a snapshot and restore', () => {
    const a = createContainerUnwrapper();
    a.unwrap(`2024-06-14T18:00:00Z stdout P ${ACCESS.slice(0, 25)}`);
    const b = createContainerUnwrapper();
    b.restore(JSON.parse(JSON.stringify(a.snapshot())));
    expect(b.unwrap(`2024-06-14T18:00:01Z stdout F ${ACCESS.slice(25)}`)).toEqual({
      text: ACCESS,
      tentative: false,
      stream: 'stdout',
    });
  });
});

describe('auto reads the line inside the wrapper', () => {
  it('as the application wrote it: a probe in a pod log, an sshd failure behind compose', () => {
    const p = auto();
    const cri = p(`2024-06-14T18:00:00.123456789Z stdout F ${ACCESS}`);
    expect(cri?.event).toMatchObject({ 'event.dataset': 'nginx.access', 'source.ip': '203.0.113.9', message: ACCESS });
    const compose = p(`sshd-1  | ${SSHD}`);
    expect(compose?.event).toMatchObject({
      'event.dataset': 'sshd',
      'source.ip': '198.51.100.4',
      'event.outcome': 'failure',
    });
    // A compose-like prefix whose text does not parse: the whole line is tried, and is nothing.
    expect(p('proxy  | nothing to read here')).toBeNull();
  });

  it("reads an access line under a container's syslog or journal tag by its structure", () => {
    const p = auto();
    for (const tag of ['docker/web', '3f2a1b9c8d7e', 'openresty', 'ingress-nginx-controller']) {
      const tagged = p(`Jun 14 18:00:00 docker1 ${tag}[812]: ${ACCESS}`);
      expect(tagged?.event, tag).toMatchObject({ 'event.dataset': 'nginx.access', 'source.ip': '203.0.113.9' });
    }
    // Another program may log a client's text first: its access-shaped message is not a request.
    expect(p(`Jun 14 18:00:00 docker1 myapp[812]: ${ACCESS}`)?.event['source.ip']).toBeUndefined();
    const journal = JSON.stringify({
      __REALTIME_TIMESTAMP: '1718388000000000',
      _HOSTNAME: 'docker1',
      SYSLOG_IDENTIFIER: '3f2a1b9c8d7e',
      CONTAINER_NAME: 'web',
      MESSAGE: ACCESS,
    });
    expect(p(journal)?.event).toMatchObject({ 'event.dataset': 'nginx.access', 'source.ip': '203.0.113.9' });
    // Any other message under a container's tag stays a plain syslog event.
    expect(p('Jun 14 18:00:00 docker1 docker/web[812]: 203.0.113.9 said [hi] "there"')?.event['event.dataset']).toBe(
      'syslog',
    );
  });

  it("survives a restart between a long line's parts, and reads an unfinished one at the end", () => {
    const p = auto();
    expect(p(`2024-06-14T18:00:00Z stdout P ${ACCESS.slice(0, 40)}`)).toBeNull();
    const q = auto();
    q.restore?.(p.snapshot?.() ?? '');
    expect(q(`2024-06-14T18:00:00Z stdout F ${ACCESS.slice(40)}`)?.event['source.ip']).toBe('203.0.113.9');
    expect(q(`2024-06-14T18:00:00Z stderr P ${ACCESS}`)).toBeNull();
    expect(q.drain?.().map((r) => r.event['source.ip'])).toEqual(['203.0.113.9']);
  });

  it("reads the CrowdSec hub's cri-logs and docker-logs samples as ingress-nginx access lines", () => {
    for (const c of ['cri-logs', 'docker-logs']) {
      const p = createParser('auto', { clock: createManualClock(NOW) });
      const lines = readFileSync(path.join(HUB, c, `${c}.log`), 'utf8')
        .split('\n')
        .filter((l) => l !== '');
      // A part (CRI's `P`) waits for the rest of its line; the sample's never comes: read at the end.
      const got = lines
        .flatMap((l) => p(l) ?? [])
        .concat(p.drain?.() ?? [])
        .map((r) => r.event);
      expect(got.length, c).toBe(lines.length);
      for (const ev of got) {
        expect(ev?.['event.dataset'], c).toBe('nginx.access');
        expect(ev?.['source.ip'], c).toMatch(/^(172\.18\.0\.1|192\.168\.61\.205)$/);
      }
    }
  });
});
