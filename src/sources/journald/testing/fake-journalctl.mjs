// Test-only stand-in for `journalctl -o json -f`: journald is not running on the build
// machines. The "journal" is a file of JSON entries (FAKE_JOURNAL), one per line; entries
// appended to it later are printed as they appear, like --follow. Honours --after-cursor,
// --lines=0 and --no-tail; records its arguments to FAKE_ARGS; FAKE_EXIT makes it print the
// journal once and exit with that code (after FAKE_STDERR on stderr).
import { appendFileSync, readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const record = () => {
  if (process.env.FAKE_ARGS) appendFileSync(process.env.FAKE_ARGS, `${JSON.stringify(args)}\n`);
};
const journal = process.env.FAKE_JOURNAL ?? '/dev/null';
const readEntries = () =>
  readFileSync(journal, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0);

let printed = 0;
const existing = readEntries();
const after = args.find((a) => a.startsWith('--after-cursor='))?.slice('--after-cursor='.length);
if (after !== undefined) {
  const i = existing.findIndex((l) => JSON.parse(l).__CURSOR === after);
  if (i === -1) {
    record();
    process.stderr.write('Failed to seek to cursor: Invalid argument\n');
    process.exit(1);
  }
  printed = i + 1;
} else if (args.includes('--lines=0')) {
  printed = existing.length;
}

// Record the call only once positioned in the journal, so a test that sees the call can
// append entries knowing they count as new (like a real journalctl that has started following).
record();

function printNew() {
  const entries = readEntries();
  for (; printed < entries.length; printed++) process.stdout.write(`${entries[printed]}\n`);
}

printNew();
if (process.env.FAKE_EXIT !== undefined) {
  if (process.env.FAKE_STDERR) process.stderr.write(process.env.FAKE_STDERR);
  process.exitCode = Number(process.env.FAKE_EXIT);
} else if (args.includes('--follow')) {
  setInterval(printNew, 10);
}
