/**
 * Aho-Corasick over the rules' prefilter literals: one pass over an event's haystack finds
 * every literal present, so each rule's prefilter is a few array reads instead of a
 * substring search per literal (DESIGN: large pattern lists go through a literal prefilter).
 */
export class LiteralSet {
  private readonly next: Map<number, number>[] = [new Map()];
  private readonly fail: number[] = [0];
  /** Literal ids ending at each node (including via fail links, merged at build). */
  private readonly out: number[][] = [[]];
  readonly ids = new Map<string, number>();

  constructor(literals: Iterable<string>) {
    for (const lit of literals) {
      if (lit === '' || this.ids.has(lit)) continue;
      const id = this.ids.size;
      this.ids.set(lit, id);
      let node = 0;
      for (let i = 0; i < lit.length; i++) {
        const c = lit.charCodeAt(i);
        let to = this.next[node]!.get(c);
        if (to === undefined) {
          to = this.next.length;
          this.next.push(new Map());
          this.fail.push(0);
          this.out.push([]);
          this.next[node]!.set(c, to);
        }
        node = to;
      }
      this.out[node]!.push(id);
    }
    // Breadth-first fail links.
    const queue: number[] = [];
    for (const to of this.next[0]!.values()) queue.push(to);
    for (let qi = 0; qi < queue.length; qi++) {
      const node = queue[qi]!;
      for (const [c, to] of this.next[node]!) {
        let f = this.fail[node]!;
        while (f !== 0 && !this.next[f]!.has(c)) f = this.fail[f]!;
        const g = this.next[f]!.get(c);
        this.fail[to] = g !== undefined && g !== to ? g : 0;
        this.out[to]!.push(...this.out[this.fail[to]!]!);
        queue.push(to);
      }
    }
  }

  /** Mark every literal found in `text` (`found[id] = stamp`). */
  scan(text: string, found: Uint32Array, stamp: number): void {
    let node = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      let to = this.next[node]!.get(c);
      while (to === undefined && node !== 0) {
        node = this.fail[node]!;
        to = this.next[node]!.get(c);
      }
      node = to ?? 0;
      const o = this.out[node]!;
      for (let k = 0; k < o.length; k++) found[o[k]!] = stamp;
    }
  }
}
