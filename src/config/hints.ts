/**
 * Edit distance counting an adjacent transposition as one edit (optimal string alignment),
 * since swapped letters are the most common typo (`fiel`, `stroe`). Bounded: returns
 * `max + 1` as soon as the distance must exceed `max`.
 */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, (prev2[j - 2] ?? 0) + 1);
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/**
 * The candidate the user most likely meant, or undefined when none is close. Case and
 * `-`/`_` are ignored first (`startAt` -> `start_at`), then edit distance up to a third of the
 * word (at least 1), so short words do not match everything.
 */
export function didYouMean(input: string, candidates: readonly string[]): string | undefined {
  const fold = (s: string) => s.toLowerCase().replace(/[-_\s]/g, '');
  const folded = fold(input);
  const exact = candidates.find((c) => fold(c) === folded);
  if (exact !== undefined) return exact;
  const max = Math.max(1, Math.floor(input.length / 3));
  let best: string | undefined;
  let bestD = max + 1;
  for (const c of candidates) {
    const d = editDistance(input.toLowerCase(), c.toLowerCase(), max);
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  if (best !== undefined) return best;
  // A prefix of a longer name (`jour` -> `journald`) is a likely truncation.
  return input.length >= 3 ? candidates.find((c) => c.toLowerCase().startsWith(input.toLowerCase())) : undefined;
}

/** `use one of a, b, c (did you mean "b"?)`. */
export function oneOfHint(values: readonly string[], input: unknown): string {
  const guess = typeof input === 'string' ? didYouMean(input, values) : undefined;
  return `use one of ${values.join(', ')}${guess === undefined ? '' : ` (did you mean "${guess}"?)`}`;
}

/** Hint for a key the schema does not know. */
export function unknownKeyHint(key: string, known: readonly string[]): string {
  const guess = didYouMean(key, known);
  const list = known.length > 0 ? `known keys here: ${known.join(', ')}` : 'this section takes no keys';
  return guess === undefined ? `remove it; ${list}` : `did you mean "${guess}"? ${list}`;
}
