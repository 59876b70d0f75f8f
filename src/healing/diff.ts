import { entropy, looksText } from './entropy.js';

const MAX_LINES = 40;
const MAX_INPUT_LINES = 5000;

/**
 * A short line diff (`-` known-good, `+` now) for the incident, bounded in size; binary
 * content is summarised by size and entropy instead. Attacker-written text is shown, never
 * interpreted.
 */
export function describeDiff(before: Buffer | undefined, after: Buffer | undefined): string {
  if (after && !looksText(after)) {
    return `binary content, ${after.length} bytes, entropy ${entropy(after).toFixed(2)} bits/byte`;
  }
  if (before && !looksText(before))
    return `was binary (${before.length} bytes); now ${after?.length ?? 0} bytes of text`;
  const a = (before?.toString('utf8') ?? '').split('\n').slice(0, MAX_INPUT_LINES);
  const b = (after?.toString('utf8') ?? '').split('\n').slice(0, MAX_INPUT_LINES);
  // Common prefix and suffix, then the middle as removed/added: enough to show what changed.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const lines: string[] = [`@@ line ${start + 1} @@`];
  for (const l of a.slice(start, endA)) lines.push(`-${l}`);
  for (const l of b.slice(start, endB)) lines.push(`+${l}`);
  if (lines.length > MAX_LINES) {
    const more = lines.length - MAX_LINES;
    lines.length = MAX_LINES;
    lines.push(`… ${more} more lines`);
  }
  return lines.map((l) => (l.length > 200 ? `${l.slice(0, 200)}…` : l)).join('\n');
}
