import { closeSync, openSync, readSync, writeFileSync } from 'node:fs';

/** Copy the first `lines` lines of `from` to `to`; returns how many there were. */
export function writePrefix(from: string, to: string, lines: number): number {
  const fd = openSync(from, 'r');
  const chunks: Buffer[] = [];
  let seen = 0;
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      let end = n;
      for (let i = 0; i < n; i++) {
        if (buf[i] !== 10) continue;
        if (++seen === lines) {
          end = i + 1;
          break;
        }
      }
      chunks.push(Buffer.from(buf.subarray(0, end)));
      if (seen === lines) break;
    }
  } finally {
    closeSync(fd);
  }
  writeFileSync(to, Buffer.concat(chunks));
  return seen;
}
