/** TCP_LISTEN in /proc/net/tcp's `st` column. */
const TCP_LISTEN = '0A';

export interface TcpSocket {
  readonly family: 4 | 6;
  readonly address: string;
  readonly port: number;
  /** Hex state code from the kernel; `0A` is LISTEN. */
  readonly state: string;
  readonly listening: boolean;
  readonly uid: number;
  /** Socket inode: the link target of a process's fd is `socket:[INODE]`. */
  readonly inode: string;
}

/**
 * Parse /proc/net/tcp or /proc/net/tcp6. Addresses are hex in host byte order per 32-bit word
 * (little-endian on the machines Leuko runs on), ports are big-endian hex. Malformed rows are
 * skipped, never thrown on.
 */
export function parseNetTcp(text: string, family: 4 | 6): TcpSocket[] {
  const out: TcpSocket[] = [];
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const f = (lines[i] ?? '').trim().split(/\s+/);
    // sl local rem st tx:rx tr:when retrnsmt uid timeout inode
    const local = f[1];
    const state = f[3];
    const uid = Number(f[7]);
    const inode = f[9];
    if (local === undefined || state === undefined || inode === undefined || !/^\d+$/.test(inode)) continue;
    const colon = local.indexOf(':');
    const port = Number.parseInt(local.slice(colon + 1), 16);
    const address = decodeAddress(local.slice(0, colon), family);
    if (address === undefined || !Number.isInteger(port)) continue;
    out.push({ family, address, port, state, listening: state === TCP_LISTEN, uid, inode });
  }
  return out;
}

function decodeAddress(hex: string, family: 4 | 6): string | undefined {
  const words = family === 4 ? 1 : 4;
  if (hex.length !== words * 8 || !/^[0-9A-Fa-f]+$/.test(hex)) return undefined;
  const bytes: number[] = [];
  for (let w = 0; w < words; w++) {
    const word = hex.slice(w * 8, w * 8 + 8);
    // Little-endian word: the last hex pair is the first byte.
    for (let b = 3; b >= 0; b--) bytes.push(Number.parseInt(word.slice(b * 2, b * 2 + 2), 16));
  }
  if (family === 4) return bytes.join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  return compressIpv6(groups);
}

/** RFC 5952 text: the longest run of two or more zero groups becomes `::`. */
function compressIpv6(groups: string[]): string {
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === '0') j++;
    if (j - i > bestLen && j - i >= 2) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}
