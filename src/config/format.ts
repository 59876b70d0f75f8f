import type { ConfigIssue } from './types.js';

/**
 * One line per issue, like a compiler:
 * `auth.yaml:3:5 sources[0].format: unknown format "sshdd" — hint: use one of auto, sshd, ... (did you mean "sshd"?)`.
 * Warnings carry a `warning:` tag after the key.
 */
export function formatIssue(i: ConfigIssue): string {
  const where = i.line === undefined ? i.file : `${i.file}:${i.line}:${i.column ?? 1}`;
  const tag = i.severity === 'warning' ? 'warning: ' : '';
  return `${where} ${i.key === '' ? '(file)' : i.key}: ${tag}${i.message} — hint: ${i.hint}`;
}

export function formatIssues(issues: readonly ConfigIssue[]): string {
  return issues.map(formatIssue).join('\n');
}
