import { compilePythonRegex } from './python-regex.js';

/** Drain's pre-processing: every match of a masking regex becomes the wildcard `<*>`. */
export const WILDCARD = '<*>';

export interface Masker {
  mask(text: string): string;
}

/**
 * Masks apply in order, each on the output of the one before (logparser's `preprocess`), so a
 * later regex can see the `<*>` an earlier one wrote.
 */
export function createMasker(patterns: readonly string[]): Masker {
  const res = patterns.map((p, i) => {
    try {
      return compilePythonRegex(p, 'g');
    } catch (e) {
      throw new Error(`masking regex #${i + 1} ${JSON.stringify(p)} does not compile: ${(e as Error).message}`);
    }
  });
  return {
    mask(text) {
      let out = text;
      for (const re of res) {
        re.lastIndex = 0;
        out = out.replace(re, WILDCARD);
      }
      return out;
    },
  };
}
