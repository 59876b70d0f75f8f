import type { LineSink } from './line-sink.js';
import type { SshdWorld } from './sshd-conn.js';
import { AGENT_SUDO } from './sshd-words.js';

const CRON_JOBS: readonly (readonly [string, number])[] = [
  ['root', 0],
  ['root', 0],
  ['www-data', 33],
  ['smmsp', 109],
  ['postgres', 113],
];

/**
 * The rest of a real auth.log: cron sessions every minute, monitoring agents running checks
 * through sudo, one sshd restart. Writes exactly `lines` lines, so the file has the size asked.
 */
export function writeHostNoise(world: SshdWorld, sink: LineSink, lines: number): void {
  const { rng, host } = world;
  const line = (t: number, proc: string, text: string): void => sink.push(t, '', ` ${host} ${proc}: ${text}`);
  let left = lines;
  if (left >= 4) {
    // A package upgrade restarts sshd once: listeners go down and up.
    const t = world.start + rng.next() * world.spanMs;
    const pid = rng.int(1000, 90_000);
    line(t, `sshd[${rng.int(400, 900)}]`, 'Received signal 15; terminating.');
    line(t + 400, `sshd[${pid}]`, 'Server listening on 0.0.0.0 port 22.');
    line(t + 401, `sshd[${pid}]`, 'Server listening on :: port 22.');
    line(t + 2, `systemd-logind[${rng.int(400, 900)}]`, 'Watching system buttons on /dev/input/event0 (Power Button)');
    left -= 4;
  }
  const minutes = Math.max(1, Math.floor(world.spanMs / 60_000));
  while (left > 0) {
    const minute = rng.int(0, minutes - 1);
    const t = world.start + minute * 60_000 + rng.int(0, 2500);
    if (left >= 2 && rng.chance(0.85)) {
      const [user, uid] = rng.pick(CRON_JOBS);
      const proc = `CRON[${rng.int(1000, 4_000_000)}]`;
      line(t, proc, `pam_unix(cron:session): session opened for user ${user}(uid=${uid}) by (uid=0)`);
      line(t + rng.int(20, 30_000), proc, `pam_unix(cron:session): session closed for user ${user}`);
      left -= 2;
    } else {
      const [agent, command] = rng.pick(AGENT_SUDO);
      line(t + rng.int(0, 50_000), 'sudo', `${agent.padStart(8)} : PWD=/ ; USER=root ; COMMAND=${command}`);
      left -= 1;
    }
  }
}
