import { describe, expect, it } from 'vitest';
import { createUserDb, isValidUserName, parsePasswdLine, parseShadowLine } from './user-db.js';

describe('account files', () => {
  it('parses passwd and shadow lines and ignores malformed ones', () => {
    expect(parsePasswdLine('bob:x:1001:1001:Bob,,,:/home/bob:/bin/bash')).toEqual({
      name: 'bob',
      uid: 1001,
      gid: 1001,
      home: '/home/bob',
      shell: '/bin/bash',
    });
    expect(parsePasswdLine('bob:x:oops:1001::/:/bin/sh')).toBeUndefined();
    expect(parsePasswdLine('')).toBeUndefined();
    expect(parseShadowLine('bob:!$6$salt$hash:20000:0:99999:7::0:')).toEqual({
      name: 'bob',
      password: '!$6$salt$hash',
      locked: true,
      expireDays: 0,
    });
    expect(parseShadowLine('bob:$6$salt$hash:20000:0:99999:7:::')).toMatchObject({
      locked: false,
      expireDays: undefined,
    });
    expect(parseShadowLine('short:line')).toBeUndefined();
  });

  it('accepts only ordinary user names, so a log-borne value cannot become an option', () => {
    for (const ok of ['bob', 'www-data', '_apt', 'machine$', 'lkt0a1b']) expect(isValidUserName(ok)).toBe(true);
    for (const bad of ['', '-e0', 'a b', 'x;rm', '../etc', 'a'.repeat(40), 'bob\n'])
      expect(isValidUserName(bad)).toBe(false);
  });

  it('reads the real databases: root is uid 0 and has a shadow entry', async () => {
    const db = createUserDb();
    expect(await db.lookup('root')).toMatchObject({ uid: 0 });
    expect(await db.lookup(0)).toMatchObject({ name: 'root' });
    expect(await db.shadow('root')).toMatchObject({ name: 'root' });
    expect(await db.lookup('no-such-user-leuko')).toBeUndefined();
  });
});
