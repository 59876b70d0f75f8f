import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

/**
 * Lines of a file (or stdin for `-`), exactly one per input line including empty ones, so
 * `leuko parse --jsonl` can print one value per line. Invalid UTF-8 becomes U+FFFD.
 */
export async function* readLines(path: string): AsyncGenerator<string> {
  const input = path === '-' ? process.stdin : createReadStream(path, { highWaterMark: 1 << 16 });
  const rl = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of rl) yield line;
}
