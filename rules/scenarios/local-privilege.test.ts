import { describe, expect, it } from 'vitest';
import { fired, M, parsed, run, S, times } from './test-kit.js';

const at = (ms: number) => {
  const d = new Date(Date.UTC(2026, 5, 14, 9, 0, 0) + ms);
  return `Jun 14 ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}:${String(d.getUTCSeconds()).padStart(2, '0')}`;
};
const sudo = {
  notInSudoers: (t: number, user: string) =>
    `${at(t)} web1 sudo: ${user} : user NOT in sudoers ; TTY=pts/2 ; PWD=/tmp ; USER=root ; COMMAND=/bin/bash -c id`,
  notAllowed: (t: number, user: string) =>
    `${at(t)} web1 sudo: ${user} : command not allowed ; TTY=pts/3 ; PWD=/home/${user} ; USER=root ; COMMAND=/usr/bin/vi /etc/shadow`,
  pamFailure: (t: number, user: string) =>
    `${at(t)} web1 sudo: pam_unix(sudo:auth): authentication failure; logname=${user} uid=1001 euid=0 tty=/dev/pts/1 ruser=${user} rhost=  user=${user}`,
  summary: (t: number, user: string) =>
    `${at(t)} web1 sudo: ${user} : 3 incorrect password attempts ; TTY=pts/1 ; PWD=/home/${user} ; USER=root ; COMMAND=/bin/sh`,
  command: (t: number, user: string) =>
    `${at(t)} web1 sudo: ${user} : TTY=pts/0 ; PWD=/home/${user} ; USER=root ; COMMAND=/usr/bin/apt update`,
};
const pkexec = {
  pwnkit: (t: number, user: string) =>
    `${at(t)} machine pkexec[387348]: ${user}: The value for the SHELL variable was not found the /etc/shells file [USER=root] [TTY=/dev/pts/3] [CWD=/tmp/poc-cve-2021-4034-main] [COMMAND=GCONV_PATH=./gconv PATH=GCONV_PATH=. SHELL=/fake/shell CHARSET=payload]`,
  suspicious: (t: number, user: string) =>
    `${at(t)} machine pkexec[387349]: ${user}: The value for environment variable XAUTHORITY contains suscipious content [USER=root] [TTY=/dev/pts/3] [CWD=/tmp] [COMMAND=GCONV_PATH=./pwnkit.so:. PATH=GCONV_PATH=.]`,
  refused: (t: number, user: string) =>
    `${at(t)} web1 pkexec[4100]: ${user}: Error executing command as another user: Not authorized [USER=root] [TTY=/dev/pts/1] [CWD=/home/${user}] [COMMAND=/usr/bin/bash]`,
  ran: (t: number, user: string) =>
    `${at(t)} web1 pkexec[4101]: ${user}: Executing command [USER=root] [TTY=unknown] [CWD=/home/${user}] [COMMAND=/usr/lib/update-notifier/package-system-locked]`,
};
const suFailed = (t: number, user: string) => `${at(t)} web1 su[5100]: FAILED SU (to root) ${user} on pts/1`;

describe('leuko/sudo-denied', () => {
  it('alerts on an account sudo refuses, naming the account and the command', () => {
    const d = run('leuko/sudo-denied', parsed([sudo.notInSudoers(0, 'mallory')]));
    expect(d.map((x) => x.entity)).toEqual([{ type: 'user', value: 'mallory' }]);
    expect(d[0]!.explanation).toContain('/bin/bash -c id');
    expect(d[0]!.remediation).toBeUndefined();
    expect(fired('leuko/sudo-denied', parsed([sudo.notAllowed(0, 'carol')]))).toEqual(['carol']);
    expect(fired('leuko/sudo-denied', parsed([pkexec.refused(0, 'dave')]))).toEqual(['dave']);
  });
  it('stays quiet for commands sudo runs', () => {
    expect(fired('leuko/sudo-denied', parsed(times(20, (i) => sudo.command(i * S, 'alice'))))).toEqual([]);
  });
});

describe('leuko/local-auth-bf', () => {
  it('alerts on several refused sudo runs and su attempts within minutes', () => {
    const lines = times(3, (run) => [
      ...times(3, (i) => sudo.pamFailure(run * M + i * 3 * S, 'bob')),
      sudo.summary(run * M + 10 * S, 'bob'),
    ]).flat();
    lines.push(suFailed(3 * M, 'bob'));
    expect(fired('leuko/local-auth-bf', parsed(lines))).toEqual(['bob']);
  });
  it('stays quiet for a typo now and then', () => {
    const lines = times(10, (i) => sudo.pamFailure(i * 20 * M, 'alice'));
    expect(fired('leuko/local-auth-bf', parsed(lines))).toEqual([]);
  });
});

describe('leuko/pkexec-exploit', () => {
  it('alerts on the environment PwnKit exploits hand pkexec, naming the account', () => {
    const d = run('leuko/pkexec-exploit', parsed([pkexec.pwnkit(0, 'srcuser'), pkexec.suspicious(M, 'eve')]));
    expect(d.map((x) => x.entity)).toEqual([
      { type: 'user', value: 'srcuser' },
      { type: 'user', value: 'eve' },
    ]);
    expect(d[0]!.explanation).toContain('/tmp/poc-cve-2021-4034-main');
    expect(d[0]!.severity).toBe('critical');
  });
  it('stays quiet for ordinary pkexec runs and plain refusals', () => {
    const ev = parsed([pkexec.ran(0, 'alice'), pkexec.refused(S, 'alice')]);
    expect(fired('leuko/pkexec-exploit', ev)).toEqual([]);
  });
  it('takes the account from before the colon, never from the attacker-chosen command', () => {
    const ev = parsed([
      `${at(0)} machine pkexec[1]: mallory: The value for the SHELL variable was not found the /etc/shells file [USER=root] [TTY=/dev/pts/3] [CWD=/tmp] [COMMAND=x] root: [USER=alice]`,
    ]);
    expect(ev[0]!.event['user.name']).toBe('mallory');
    expect(ev[0]!.event['user.target.name']).toBe('root');
    expect(fired('leuko/pkexec-exploit', ev)).toEqual(['mallory']);
  });
});

describe('leuko/loader-crash', () => {
  const kernel = (t: number, line: string) => `${at(t)} web1 kernel: [869507.505196] ${line}`;
  it('alerts on a setuid program dying in the dynamic loader (Looney Tunables), naming the program', () => {
    const ev = parsed([
      kernel(
        0,
        'su[1433535]: segfault at 7f1f9b891000 ip 00007f1f9b870d7d sp 00007ffd5dab97f0 error 6 in ld-linux-x86-64.so.2[7f1f9b85e000+25000] likely on CPU 2 (core 2, socket 0)',
      ),
      kernel(
        S,
        'su[1433536]: segfault at 7f1f9b891000 ip 00007f1f9b870d7d sp 00007ffd5dab97f0 error 6 in ld-linux-x86-64.so.2[7f1f9b85e000+25000]',
      ),
      kernel(
        2 * M,
        'traps: passwd[1433600] general protection fault ip:7f69e59efd7d sp:7ffff8da8b50 error:0 in ld-2.31.so[7f69e59dd000+25000]',
      ),
    ]);
    const d = run('leuko/loader-crash', ev);
    expect(d.map((x) => x.entity)).toEqual([
      { type: 'file', value: 'su' },
      { type: 'file', value: 'passwd' },
    ]);
    expect(d[0]!.explanation).toContain('ld-linux-x86-64.so.2');
  });
  it('stays quiet for crashes elsewhere than in the loader', () => {
    const ev = parsed([
      kernel(
        0,
        'firefox[4242]: segfault at 0 ip 00007f00deadbeef sp 00007ffd00000000 error 4 in libxul.so[7f0000000000+6000000]',
      ),
      kernel(S, 'traps: node[4343] trap invalid opcode ip:55d5c2a0 sp:7ffc1e0 error:0 in node[55d5c000+2000000]'),
    ]);
    expect(fired('leuko/loader-crash', ev)).toEqual([]);
  });
});
