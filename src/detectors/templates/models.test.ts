import { describe, expect, it } from 'vitest';
import { stripSyslogHeader } from './defaults.js';
import { OVERFLOW_ID, TemplateModels } from './models.js';

describe('TemplateModels', () => {
  it('keeps one model per source, ids stable across snapshot/restore', () => {
    const a = new TemplateModels({ maxTemplates: 100 });
    const x1 = a.mine('auth', 'Dec  6 10:00:01 web1 sshd[12]: Accepted publickey for bob from 10.0.0.2 port 5000 ssh2');
    const y1 = a.mine('app', 'Dec  6 10:00:01 web1 api[7]: cache hit ratio 0.93 over last 60s');
    expect(x1.id).toBe('E1');
    expect(y1.id).toBe('E1');
    const b = new TemplateModels({ maxTemplates: 100 });
    b.restore(a.snapshot());
    const line = 'Dec  7 11:00:02 web1 sshd[99]: Accepted publickey for eve from 10.0.0.3 port 6000 ssh2';
    expect(b.mine('auth', line)).toEqual(a.mine('auth', line));
    expect(b.mine('auth', line).id).toBe('E1');
  });

  it('drops a saved model whose Drain settings changed (its ids would mean something else)', () => {
    const a = new TemplateModels({ maxTemplates: 100, sources: { s: { st: 0.5, depth: 4 } } });
    a.mine('s', 'hello world');
    const b = new TemplateModels({ maxTemplates: 100, sources: { s: { st: 0.7, depth: 4 } } });
    b.restore(a.snapshot());
    expect(b.sources()).toEqual([]);
  });

  it('caps templates per source: past the cap a new shape goes to the overflow id', () => {
    const m = new TemplateModels({ maxTemplates: 10 });
    for (let i = 0; i < 10; i++) m.mine('s', `${'w '.repeat(i)}end`);
    expect(m.mine('s', 'a completely different and new line of text here').id).toBe(OVERFLOW_ID);
    expect(m.mine('s', 'w end').id).toBe('E2');
    expect(m.overflow.get('s')).toBe(1);
  });

  it('reset forgets one source', () => {
    const m = new TemplateModels({ maxTemplates: 100 });
    m.mine('a', 'x y z');
    m.mine('b', 'x y z');
    m.reset('a');
    expect(m.sources()).toEqual(['b']);
  });
});

describe('syslog header removal', () => {
  it('keeps the program, drops time, host and pid', () => {
    expect(stripSyslogHeader('Dec  6 10:00:01 web1 sshd[12]: Accepted x')).toBe('sshd: Accepted x');
    expect(stripSyslogHeader('2026-12-06T10:00:01.123+00:00 web1 cron: job')).toBe('cron: job');
    expect(stripSyslogHeader('plain line')).toBe('plain line');
  });
});
