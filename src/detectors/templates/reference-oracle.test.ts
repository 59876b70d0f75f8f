import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Drain } from './drain.js';
import { groupingAccuracy } from './grouping-accuracy.js';
import { hasNumbers } from './tokenize.js';

/**
 * An oracle: logparser's Drain.py transcribed as literally as TypeScript allows (a node's
 * `childD` is a dict of nodes or, at a leaf, a list of clusters; no shortcuts), then the
 * benchmark's grouping by final template text. Our Drain must group every random stream the
 * same way, so held-out logs parse as the reference would parse them.
 */
interface RefCluster {
  logTemplate: string[];
  logIDL: number[];
}
interface RefNode {
  childD: Map<string | number, RefNode> | RefCluster[];
}

function referenceDrain(lines: string[][], depthParam: number, st: number, maxChild: number): string[] {
  const depth = depthParam - 2;
  const root: RefNode = { childD: new Map() };
  const clusters: RefCluster[] = [];
  const dict = (n: RefNode) => n.childD as Map<string | number, RefNode>;
  const treeSearch = (seq: string[]): RefCluster | undefined => {
    const rc = dict(root);
    if (!rc.has(seq.length)) return undefined;
    let parentn = rc.get(seq.length) as RefNode;
    let currentDepth = 1;
    for (const token of seq) {
      if (currentDepth >= depth || currentDepth > seq.length) break;
      const c = parentn.childD;
      if (c instanceof Map && c.has(token)) parentn = c.get(token) as RefNode;
      else if (c instanceof Map && c.has('<*>')) parentn = c.get('<*>') as RefNode;
      else return undefined;
      currentDepth++;
    }
    const logClustL = Array.isArray(parentn.childD) ? parentn.childD : [];
    let maxSim = -1;
    let maxNumOfPara = -1;
    let maxClust: RefCluster | undefined;
    for (const lc of logClustL) {
      let simTokens = 0;
      let numOfPar = 0;
      lc.logTemplate.forEach((t1, i) => {
        if (t1 === '<*>') numOfPar++;
        else if (t1 === seq[i]) simTokens++;
      });
      const curSim = simTokens / lc.logTemplate.length;
      if (curSim > maxSim || (curSim === maxSim && numOfPar > maxNumOfPara)) {
        maxSim = curSim;
        maxNumOfPara = numOfPar;
        maxClust = lc;
      }
    }
    return maxSim >= st ? maxClust : undefined;
  };
  const addSeqToPrefixTree = (lc: RefCluster) => {
    const seqLen = lc.logTemplate.length;
    const rc = dict(root);
    if (!rc.has(seqLen)) rc.set(seqLen, { childD: new Map() });
    let parentn = rc.get(seqLen) as RefNode;
    let currentDepth = 1;
    for (const token of lc.logTemplate) {
      if (currentDepth >= depth || currentDepth > seqLen) {
        if (parentn.childD instanceof Map && parentn.childD.size === 0) parentn.childD = [lc];
        else (parentn.childD as RefCluster[]).push(lc);
        break;
      }
      const c = dict(parentn);
      if (!c.has(token)) {
        const mk = (key: string) => {
          const n: RefNode = { childD: new Map() };
          c.set(key, n);
          return n;
        };
        if (!hasNumbers(token)) {
          if (c.has('<*>')) parentn = c.size < maxChild ? mk(token) : (c.get('<*>') as RefNode);
          else if (c.size + 1 < maxChild) parentn = mk(token);
          else if (c.size + 1 === maxChild) parentn = mk('<*>');
          else parentn = c.get('<*>') as RefNode;
        } else parentn = c.has('<*>') ? (c.get('<*>') as RefNode) : mk('<*>');
      } else parentn = c.get(token) as RefNode;
      currentDepth++;
    }
  };
  lines.forEach((seq, idx) => {
    const m = treeSearch(seq);
    if (m === undefined) {
      const nc = { logTemplate: [...seq], logIDL: [idx] };
      clusters.push(nc);
      addSeqToPrefixTree(nc);
    } else {
      m.logIDL.push(idx);
      m.logTemplate = seq.map((w, i) => (w === m.logTemplate[i] ? w : '<*>'));
    }
  });
  const out: string[] = new Array(lines.length).fill('');
  for (const c of clusters) for (const i of c.logIDL) out[i] = c.logTemplate.join(' ');
  return out;
}

const word = fc.constantFrom('open', 'close', 'user', 'root', 'from', 'port', 'x1', '42', '<*>', 'ok', 'a', 'b');
const lineArb = fc.array(word, { minLength: 0, maxLength: 8 });

describe('Drain against a literal transcription of logparser Drain.py', () => {
  it('groups every random stream exactly like the reference (by final template text)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }),
        fc.constantFrom(0, 0.2, 0.39, 0.5, 0.6, 0.7, 1),
        fc.integer({ min: 2, max: 5 }),
        fc.array(lineArb, { maxLength: 80 }),
        (depth, st, maxChild, lines) => {
          const ref = referenceDrain(lines, depth, st, maxChild);
          const d = new Drain({ depth, st, maxChild });
          const ids = lines.map((l) => d.add(l).cluster.id);
          const ours = ids.map((id) => d.get(id)?.tokens.join(' ') ?? '');
          expect(ours).toEqual(ref);
          // and the partition itself is the reference's
          expect(groupingAccuracy(ref, ours)).toBe(1);
        },
      ),
      { numRuns: 300 },
    );
  });
});
