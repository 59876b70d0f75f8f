/**
 * Loghub's grouping accuracy (logparser `evaluator.get_accuracy`): a line counts as parsed
 * right when the predicted group it falls in holds exactly the lines of its true group. Lines
 * whose truth is empty are left out, as the evaluator does.
 */
export function groupingAccuracy(truth: readonly (string | undefined)[], predicted: readonly string[]): number {
  if (truth.length !== predicted.length) {
    throw new Error(`truth has ${truth.length} lines, prediction ${predicted.length}`);
  }
  const truthSize = new Map<string, number>();
  const groups = new Map<string, { size: number; truths: Map<string, number> }>();
  let total = 0;
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i];
    if (t === undefined || t === '') continue;
    total++;
    truthSize.set(t, (truthSize.get(t) ?? 0) + 1);
    const p = predicted[i] as string;
    let g = groups.get(p);
    if (!g) {
      g = { size: 0, truths: new Map() };
      groups.set(p, g);
    }
    g.size++;
    g.truths.set(t, (g.truths.get(t) ?? 0) + 1);
  }
  let right = 0;
  for (const g of groups.values()) {
    if (g.truths.size !== 1) continue;
    const [t] = g.truths.keys();
    if (t !== undefined && truthSize.get(t) === g.size) right += g.size;
  }
  return total === 0 ? 1 : right / total;
}
