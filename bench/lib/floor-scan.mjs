// The least a Node program can do with an sshd log: read it, split it into lines and run one
// regular expression per line that finds failed logins and their address, counting them per
// address. No events, no parser state, no detection. `npm run bench` times it beside Leuko and
// fail2ban-regex as the floor of what any JavaScript pipeline costs on the machine at hand.
import { closeSync, openSync, readSync } from 'node:fs';

const FAILED =
  /^\w{3} [ \d]\d \d\d:\d\d:\d\d \S+ sshd(?:-session)?\[\d+\]: (?:Failed \S+ for (?:invalid user )?.* from ([\d.]+|[\da-f:]+) port \d+|Invalid user .* from ([\d.]+|[\da-f:]+) port \d+)/;

const fd = openSync(process.argv[2], 'r');
const buf = Buffer.allocUnsafe(1 << 20);
const perAddress = new Map();
let rest = '';
let lines = 0;
let failures = 0;
for (;;) {
  const n = readSync(fd, buf, 0, buf.length, null);
  if (n === 0) break;
  const text = rest + buf.toString('latin1', 0, n);
  let at = 0;
  for (;;) {
    const end = text.indexOf('\n', at);
    if (end < 0) {
      rest = text.slice(at);
      break;
    }
    const m = FAILED.exec(text.slice(at, end));
    at = end + 1;
    lines++;
    if (m === null) continue;
    failures++;
    const ip = m[1] ?? m[2];
    perAddress.set(ip, (perAddress.get(ip) ?? 0) + 1);
  }
}
closeSync(fd);
process.stdout.write(`${JSON.stringify({ lines, failures, addresses: perAddress.size })}\n`);
