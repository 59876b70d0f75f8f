import type { YAMLError } from 'yaml';
import type { Finding } from './finding.js';

const YAML_HINTS: Partial<Record<YAMLError['code'], string>> = {
  BAD_INDENT: 'indent with spaces, each nested key deeper than its parent and siblings aligned',
  TAB_AS_INDENT: 'YAML does not allow tabs for indentation; use spaces',
  DUPLICATE_KEY: 'remove or rename one of the repeated keys; YAML would silently keep only one',
  MISSING_CHAR: 'a character is missing here: `- ` before a list item, `:` after a key, or a closing quote or bracket',
  MULTIPLE_DOCS: 'keep the whole config in one YAML document (remove the extra `---`)',
  BLOCK_AS_IMPLICIT_KEY: 'put a space after the colon of each `key: value`, and start nested blocks on a new line',
  MULTILINE_IMPLICIT_KEY: 'a key must fit on one line; check for a missing `:` or an unclosed quote on the line above',
  UNEXPECTED_TOKEN: 'check the characters here: lists use `- item`, mappings use `key: value`',
  BAD_ALIAS: 'define the anchor (`&name`) before using the alias (`*name`)',
  BAD_DQ_ESCAPE: 'in double quotes write a backslash as \\\\, or use single quotes',
  BAD_SCALAR_START: 'quote values that start with @, `, % or another reserved character',
  RESOURCE_EXHAUSTION: 'the document expands to too much data (nested aliases); write the values out',
  NON_STRING_KEY: 'use plain text keys',
};

const GENERIC_HINT =
  'check the YAML syntax here: `key: value` pairs, `- item` list entries, space indentation, closed quotes';

/** A yaml library error or warning as a finding at its offset. */
export function findingFromYamlError(
  e: YAMLError,
  severity: 'error' | 'warning',
  pathAt: (offset: number) => (string | number)[],
): Finding & { offset: number } {
  const first = e.message.split('\n')[0] ?? e.message;
  const message = first.replace(/ at line \d+, column \d+:?$/, '');
  return {
    offset: e.pos[0],
    path: pathAt(e.pos[0]),
    message: `YAML: ${message.charAt(0).toLowerCase()}${message.slice(1)}`,
    hint: YAML_HINTS[e.code] ?? GENERIC_HINT,
    severity,
  };
}
