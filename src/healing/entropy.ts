/** Shannon entropy in bits per byte (0..8); encrypted or random data is close to 8. */
export function entropy(data: Buffer, max = 65_536): number {
  const n = Math.min(data.length, max);
  if (n === 0) return 0;
  const counts = new Uint32Array(256);
  for (let i = 0; i < n; i++) counts[data[i] as number] = (counts[data[i] as number] as number) + 1;
  let h = 0;
  for (const c of counts) {
    if (c === 0) continue;
    const p = c / n;
    h -= p * Math.log2(p);
  }
  return h;
}

/** Text if it has no NUL byte and decodes as UTF-8 (the first 8 KiB are checked). */
export function looksText(data: Buffer): boolean {
  const head = data.subarray(0, 8192);
  if (head.includes(0)) return false;
  return !head.toString('utf8').includes('\uFFFD');
}
