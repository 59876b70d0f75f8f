/** Log4j/JBoss/Logback levels as Java servers write them after the time. */
const LEVELS = new Set(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL']);

/**
 * The head `YYYY-MM-DD HH:MM:SS,mmm LEVEL` of a Java server's log line (Keycloak, Zimbra): the
 * index of the space after the level, or -1 when the line does not start so. Checks fixed
 * places first, so lines of other logs fail in a few comparisons.
 */
export function javaLevelEnd(line: string): number {
  if (line.charCodeAt(10) !== 32 || line.charCodeAt(19) !== 44) return -1;
  const sp = line.indexOf(' ', 24);
  return sp < 0 || sp > 30 || !LEVELS.has(line.slice(24, sp)) ? -1 : sp;
}
