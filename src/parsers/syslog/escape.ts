// C0 controls and DEL. Checked first with one test so clean messages cost nothing more.
const CONTROL = /[\x00-\x1f\x7f]/;
const CONTROL_ALL = /[\x00-\x1f\x7f]/g;

/**
 * Escape control characters the way rsyslog does by default (EscapeControlCharactersOnReceive):
 * each becomes `#` and three octal digits, so `\n` is `#012`. A remote sender must not be able
 * to forge a second log line (or hide text from a terminal) by embedding a newline, and the
 * parsers then see exactly what they would see in /var/log written by rsyslog.
 */
export function escapeControlChars(message: string): string {
  if (!CONTROL.test(message)) return message;
  return message.replace(CONTROL_ALL, (c) => `#${c.charCodeAt(0).toString(8).padStart(3, '0')}`);
}

/** Index just past the message body: drops the trailing LF, CRLF or NULs senders append. */
export function trimTrailer(buf: Uint8Array, start: number, end: number): number {
  let e = end;
  while (e > start && (buf[e - 1] === 0x0a || buf[e - 1] === 0x00)) e--;
  if (e > start && buf[e - 1] === 0x0d) e--;
  return e;
}
