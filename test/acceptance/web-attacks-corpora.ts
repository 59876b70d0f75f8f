import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { AccessRequest } from '../../src/detectors/web-attacks/classify.js';
import type { AttackClass } from '../../src/detectors/web-attacks/types.js';

/**
 * The web-attack corpora turned into what an access log records (method, URI with query,
 * User-Agent, Referer), with their ground truth. Shared by the acceptance tests and the
 * scoring script, so both judge with the same rules.
 */
export const CORPORA = path.resolve(import.meta.dirname, '../../../shared/corpora');

/** CRS family (first three digits of the rule id) → the classes that count as right. */
export const FAMILY_CLASSES: Record<string, readonly AttackClass[]> = {
  // 930 covers both the walk and the file it reaches; see the README section.
  '930': ['lfi', 'traversal'],
  // 931 is "remote file inclusion", and its off-domain-URL tests include SSRF-style targets
  // (`ldap://127.0.0.1/`, `gopher://.../_SSRFTest`).
  '931': ['rfi', 'ssrf'],
  '932': ['rce'],
  '941': ['xss'],
  '942': ['sqli'],
};

/**
 * Headers that carry no payload of the test: transport and content negotiation. A CRS
 * record reaches the access log only if it has no body and every header other than
 * User-Agent and Referer is one of these; a payload in the body, a cookie or any other header
 * (X-Filename, Authorization, X-FTW notes included) is invisible to a log-based detector.
 */
const TRANSPORT_HEADERS = new Set([
  'host',
  'accept',
  'accept-encoding',
  'accept-language',
  'accept-charset',
  'connection',
  'keep-alive',
  'content-type',
  'content-length',
  'cache-control',
  'pragma',
  'proxy-connection',
  'upgrade-insecure-requests',
  'te',
]);

export interface CrsStage {
  readonly id: string;
  readonly family: string;
  readonly pl: number | null;
  readonly kind: string;
  readonly request: AccessRequest;
  readonly method: string;
}

interface CrsRecord {
  rule_id: number;
  test_id: number;
  kind: string;
  method: string | null;
  uri: string | null;
  data: string | null;
  headers: Record<string, string> | null;
  encoded_request: string | null;
}

/** The rule: see TRANSPORT_HEADERS. Exported so the test states it in one place. */
export function reachesAccessLog(r: CrsRecord): boolean {
  if (r.encoded_request !== null || r.uri === null) return false;
  if (r.data !== null && r.data !== '') return false;
  for (const h of Object.keys(r.headers ?? {})) {
    const k = h.toLowerCase();
    if (k !== 'user-agent' && k !== 'referer' && !TRANSPORT_HEADERS.has(k)) return false;
  }
  return true;
}

export function loadCrsStages(file = 'split_public.jsonl'): CrsStage[] {
  const dir = path.join(CORPORA, 'crs-regression');
  const pls = JSON.parse(readFileSync(path.join(dir, 'rule_paranoia_levels.json'), 'utf8')) as Record<
    string,
    { pl: number | null }
  >;
  const out: CrsStage[] = [];
  for (const line of readFileSync(path.join(dir, file), 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const r = JSON.parse(line) as CrsRecord;
    if (!reachesAccessLog(r)) continue;
    const h: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.headers ?? {})) h[k.toLowerCase()] = v;
    out.push({
      id: `${r.rule_id}-${r.test_id}`,
      family: String(r.rule_id).slice(0, 3),
      pl: pls[String(r.rule_id)]?.pl ?? null,
      kind: r.kind,
      method: r.method ?? 'GET',
      request: { url: r.uri ?? '', userAgent: h['user-agent'], referrer: h.referer },
    });
  }
  return out;
}

/** httpparams values: label `norm` is benign. Each becomes `GET /search?q=<value>`. */
export function loadHttpParams(file = 'payload_train.csv'): { value: string; label: string; type: string }[] {
  const text = readFileSync(path.join(CORPORA, 'httpparams', file), 'utf8');
  const out: { value: string; label: string; type: string }[] = [];
  const re = /"((?:[^"]|"")*)","[^"]*","([^"]*)","([^"]*)"/g;
  for (const m of text.matchAll(re)) {
    if (m[3] === 'label') continue;
    out.push({ value: m[1]!.replace(/""/g, '"'), type: m[2]!, label: m[3]! });
  }
  return out;
}

export interface WafCase {
  readonly file: string;
  readonly type: string;
  readonly payload: string;
  readonly placeholders: readonly string[];
  readonly encoders: readonly string[];
}

/** gotestwaf test cases (payload, placeholders, encoders) from every YAML under testcases/. */
export function loadGotestwaf(): WafCase[] {
  const root = path.join(CORPORA, 'gotestwaf-testcases', 'testcases');
  const out: WafCase[] = [];
  for (const set of readdirSync(root)) {
    for (const f of readdirSync(path.join(root, set))) {
      if (!f.endsWith('.yml')) continue;
      // Go's YAML reader accepts `\'` inside double quotes; the YAML spec (and our reader) does not.
      const text = readFileSync(path.join(root, set, f), 'utf8').replace(/\\'/g, "'");
      const doc = parseYaml(text) as {
        payload?: string[];
        placeholder?: string[];
        encoder?: string[];
        type?: string;
      };
      for (const p of doc.payload ?? []) {
        out.push({
          file: `${set}/${f}`,
          type: doc.type ?? '',
          payload: String(p),
          placeholders: doc.placeholder ?? [],
          encoders: doc.encoder ?? [],
        });
      }
    }
  }
  return out;
}
