import { compilePythonRegex } from './python-regex.js';

/**
 * A Loghub `log_format` such as `<Date> <Time> <Level> <Component>: <Content>`: `<Name>` is a
 * header captured lazily, everything between is a regular expression in which runs of spaces
 * match any whitespace. Only `<Content>` goes to Drain; the headers (time, pid, host) are what
 * must NOT become template tokens.
 *
 * Same construction as logparser's `generate_logformat_regex`, so a format written for the
 * benchmark splits lines exactly as it did there.
 */
export interface LogFormat {
  readonly headers: readonly string[];
  /** The content of a line, or `undefined` when the line does not fit the format. */
  content(line: string): string | undefined;
}

export function compileLogFormat(format: string): LogFormat {
  const headers: string[] = [];
  const parts = format.split(/(<[^<>]+>)/);
  let source = '';
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k] ?? '';
    if (k % 2 === 0) source += part.replace(/ +/g, '\\s+');
    else {
      const header = part.slice(1, -1);
      if (!/^[A-Za-z_$][\w$]*$/.test(header)) {
        throw new Error(`log_format header <${header}> must be a name of letters, digits and _`);
      }
      source += `(?<${header}>.*?)`;
      headers.push(header);
    }
  }
  if (!headers.includes('Content')) throw new Error('log_format must contain <Content>');
  const re = compilePythonRegex(`^${source}$`);
  return {
    headers,
    content(line) {
      const m = re.exec(line);
      return m?.groups?.Content;
    },
  };
}
