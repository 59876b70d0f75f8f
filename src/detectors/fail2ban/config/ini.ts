/**
 * Python `configparser` reading rules, as fail2ban uses them (`SafeConfigParserWithIncludes`
 * with `inline_comment_prefixes=";"`): `[section]` headers, `name = value` or `name: value`
 * (the option ends at the first `=` or `:`), option names lower-cased, values continued on
 * more-indented lines (joined with `\n`, empty lines kept inside, trailing ones dropped),
 * whole-line comments `#`/`;`, inline comments `;` after whitespace, `[DEFAULT]` apart.
 */
export interface IniFile {
  readonly defaults: Map<string, string>;
  /** Section name (case kept) -> option (lower-case) -> raw value. */
  readonly sections: Map<string, Map<string, string>>;
  readonly issues: readonly IniIssue[];
}

export interface IniIssue {
  readonly line: number;
  readonly message: string;
}

const SECTION_RE = /^\[(?<header>.+)\]/;
const OPTION_RE = /^(?<option>.*?)\s*(?<vi>[=:])\s*(?<value>.*)$/;

export function parseIni(text: string): IniFile {
  const defaults = new Map<string, string>();
  const sections = new Map<string, Map<string, string>>();
  const issues: IniIssue[] = [];
  const pending = new Map<Map<string, string>, Map<string, string[]>>();
  let cur: Map<string, string> | undefined;
  let curLines: Map<string, string[]> | undefined;
  let optname: string | undefined;
  let indentLevel = 0;
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    let commentStart = -1;
    for (let idx = line.indexOf(';'); idx >= 0; idx = line.indexOf(';', idx + 1)) {
      if (idx === 0 || /\s/.test(line[idx - 1]!)) {
        commentStart = idx;
        break;
      }
    }
    const stripped = line.trim();
    if (stripped.startsWith('#') || stripped.startsWith(';')) commentStart = 0;
    const value = (commentStart >= 0 ? line.slice(0, commentStart) : line).trim();
    if (value === '') {
      // Empty lines belong to a multi-line value (unless the line held a comment).
      if (commentStart < 0 && curLines !== undefined && optname !== undefined) curLines.get(optname)?.push('');
      return;
    }
    const indent = /\S/.exec(line)?.index ?? 0;
    if (curLines !== undefined && optname !== undefined && indent > indentLevel && curLines.has(optname)) {
      curLines.get(optname)!.push(value);
      return;
    }
    indentLevel = indent;
    const sec = SECTION_RE.exec(value);
    if (sec) {
      const name = sec.groups!.header!;
      if (name === 'DEFAULT') cur = defaults;
      else {
        cur = sections.get(name);
        if (!cur) {
          cur = new Map();
          sections.set(name, cur);
        }
      }
      curLines = pending.get(cur);
      if (!curLines) {
        curLines = new Map();
        pending.set(cur, curLines);
      }
      optname = undefined;
      return;
    }
    if (cur === undefined || curLines === undefined) {
      issues.push({ line: i + 1, message: 'option before any [section] header' });
      return;
    }
    const opt = OPTION_RE.exec(value);
    if (!opt) {
      issues.push({ line: i + 1, message: `cannot read line: ${value.slice(0, 80)}` });
      return;
    }
    optname = opt.groups!.option!.trimEnd().toLowerCase();
    curLines.set(optname, [opt.groups!.value!.trim()]);
  });
  for (const [sec, opts] of pending) {
    for (const [k, parts] of opts) sec.set(k, parts.join('\n').trimEnd());
  }
  return { defaults, sections, issues };
}
