import type { SourceStats } from '../../core/source.js';

/**
 * Splits a syslog TCP stream into messages, RFC 6587. Each frame is detected on its own, as
 * rsyslog does: a frame starting with a digit is octet-counted (`LEN SP MSG`); anything else
 * is non-transparent framing ending at LF. Memory per connection is bounded by
 * `maxMessageBytes`: a larger message is counted in `linesTooLong` and its bytes are dropped
 * as they arrive, and the connection goes on with the next frame.
 */
export interface TcpFramer {
  feed(chunk: Buffer): void;
  /** The connection closed: a non-transparent message without its LF is still a message. */
  end(): void;
}

// More digits than this is not a length any sender uses; it is a line that starts with digits.
const MAX_LEN_DIGITS = 9;

export function createTcpFramer(opts: {
  maxMessageBytes: number;
  stats: SourceStats;
  onMessage(buf: Buffer, start: number, end: number): void;
}): TcpFramer {
  const { maxMessageBytes, stats, onMessage } = opts;
  type State = 'start' | 'count' | 'octets' | 'skipOctets' | 'line' | 'skipLine';
  let state: State = 'start';
  let lenDigits = 0;
  let len = 0;
  let remaining = 0;
  let pieces: Buffer[] = [];
  let held = 0;

  function hold(b: Buffer): void {
    pieces.push(Buffer.from(b));
    held += b.length;
  }
  function emitHeld(tail: Buffer): void {
    const whole = pieces.length === 0 ? tail : Buffer.concat([...pieces, tail]);
    pieces = [];
    held = 0;
    onMessage(whole, 0, whole.length);
  }
  function tooLong(next: State): void {
    stats.linesTooLong++;
    pieces = [];
    held = 0;
    state = next;
  }

  function feed(chunk: Buffer): void {
    let pos = 0;
    const n = chunk.length;
    while (pos < n) {
      switch (state) {
        case 'start': {
          const c = chunk[pos]!;
          if (c === 0x0a || c === 0x0d || c === 0x00) {
            pos++; // blank keep-alive lines between frames
          } else if (c >= 0x31 && c <= 0x39) {
            state = 'count';
            len = 0;
            lenDigits = 0;
          } else {
            state = 'line';
          }
          break;
        }
        case 'count': {
          const c = chunk[pos]!;
          if (c >= 0x30 && c <= 0x39 && lenDigits < MAX_LEN_DIGITS) {
            len = len * 10 + (c - 0x30);
            lenDigits++;
            pos++;
          } else if (c === 0x20) {
            pos++;
            if (len > maxMessageBytes) {
              stats.linesTooLong++;
              state = 'skipOctets';
            } else {
              state = 'octets';
              pieces = [];
              held = 0;
            }
            remaining = len;
          } else {
            // Not a length after all: these digits begin a non-transparent message.
            hold(Buffer.from(String(len).padStart(lenDigits, '0')));
            state = 'line';
          }
          break;
        }
        case 'octets': {
          const take = Math.min(remaining, n - pos);
          remaining -= take;
          if (remaining === 0) {
            emitHeld(chunk.subarray(pos, pos + take));
            state = 'start';
          } else {
            hold(chunk.subarray(pos, pos + take));
          }
          pos += take;
          break;
        }
        case 'skipOctets': {
          const take = Math.min(remaining, n - pos);
          remaining -= take;
          pos += take;
          if (remaining === 0) state = 'start';
          break;
        }
        case 'line': {
          const nl = chunk.indexOf(0x0a, pos);
          const end = nl === -1 ? n : nl;
          if (held + (end - pos) > maxMessageBytes) {
            tooLong(nl === -1 ? 'skipLine' : 'start');
          } else if (nl === -1) {
            hold(chunk.subarray(pos, n));
          } else if (held === 0) {
            onMessage(chunk, pos, nl);
            state = 'start';
          } else {
            emitHeld(chunk.subarray(pos, nl));
            state = 'start';
          }
          pos = nl === -1 ? n : nl + 1;
          break;
        }
        case 'skipLine': {
          const nl = chunk.indexOf(0x0a, pos);
          if (nl === -1) return;
          state = 'start';
          pos = nl + 1;
          break;
        }
      }
    }
  }

  return {
    feed,
    end() {
      if (state === 'line' && held > 0) emitHeld(Buffer.alloc(0));
      pieces = [];
      held = 0;
      state = 'start';
    },
  };
}
