import { closeSync, openSync, writeSync } from 'node:fs';

/** Formats an epoch-ms time the way a log format prints it (`Feb 12 14:10:21`). */
export type TimeFormatter = (ms: number) => string;

/**
 * Collects log lines out of order (each actor writes its own story), then writes them sorted
 * by time, ties kept in emission order so the lines of one connection stay in sequence.
 * A line is `before + formatted time + after`, so the time text is made once, at write.
 */
export interface LineSink {
  push(time: number, before: string, after: string): void;
  readonly count: number;
  /** Sort and write to `path`; returns the number of lines and bytes written. */
  writeTo(path: string, format: TimeFormatter): { lines: number; bytes: number };
}

export function createLineSink(): LineSink {
  let times = new Float64Array(1 << 16);
  const befores: string[] = [];
  const afters: string[] = [];
  let n = 0;
  return {
    push(time, before, after) {
      if (n === times.length) {
        const grown = new Float64Array(times.length * 2);
        grown.set(times);
        times = grown;
      }
      times[n] = time;
      befores.push(before);
      afters.push(after);
      n++;
    },
    get count() {
      return n;
    },
    writeTo(path, format) {
      const order = new Uint32Array(n);
      for (let i = 0; i < n; i++) order[i] = i;
      const t = times;
      order.sort((x, y) => (t[x] as number) - (t[y] as number) || x - y);
      const fd = openSync(path, 'w');
      let bytes = 0;
      try {
        let chunk: string[] = [];
        let lastSecond = Number.NaN;
        let stamp = '';
        for (let k = 0; k < n; k++) {
          const i = order[k] as number;
          const ms = t[i] as number;
          const second = Math.floor(ms / 1000);
          if (second !== lastSecond) {
            lastSecond = second;
            stamp = format(second * 1000);
          }
          chunk.push(befores[i] + stamp + afters[i]);
          if (chunk.length === 4096 || k === n - 1) {
            const text = `${chunk.join('\n')}\n`;
            bytes += writeSync(fd, text);
            chunk = [];
          }
        }
      } finally {
        closeSync(fd);
      }
      return { lines: n, bytes };
    },
  };
}
