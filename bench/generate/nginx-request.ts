import type { ActorLog } from './ground-truth.js';
import { nginxEscape } from './nginx-payloads.js';
import type { Rng } from './rng.js';

export interface NginxWorld {
  readonly rng: Rng;
  readonly start: number;
  readonly spanMs: number;
  /** The site's own name, for internal referrers. */
  readonly site: string;
}

export interface Request {
  readonly method?: string;
  readonly uri: string;
  readonly status: number;
  readonly bytes?: number;
  readonly referrer?: string;
  readonly ua: string;
  readonly user?: string;
  /** `uri` is the whole request text, already in nginx's escaped form (binary garbage). */
  readonly rawRequest?: boolean;
}

/** Write one line in nginx's `combined` format. */
export function request(log: ActorLog, t: number, r: Request): void {
  const req = r.rawRequest ? r.uri : nginxEscape(`${r.method ?? 'GET'} ${r.uri} HTTP/1.1`);
  const ref = r.referrer === undefined ? '-' : nginxEscape(r.referrer);
  log.emit(
    t,
    `${log.ip} - ${r.user ?? '-'} [`,
    `] "${req}" ${r.status} ${r.bytes ?? 0} "${ref}" "${nginxEscape(r.ua)}"`,
  );
}

/** Bytes for a 200 page or asset, a 404 page, a 304 (none). */
export function bodyBytes(rng: Rng, status: number, kind: 'page' | 'asset' | 'api' = 'page'): number {
  if (status === 304 || status === 204) return 0;
  if (status === 301 || status === 302) return rng.int(150, 180);
  if (status === 400) return rng.int(150, 170);
  if (status >= 400) return rng.int(140, 560);
  if (kind === 'asset') return rng.int(900, 250_000);
  if (kind === 'api') return rng.int(60, 12_000);
  return rng.int(6_000, 90_000);
}
