/**
 * Score the web-attack classifier on the shared corpora and print per-family recall and
 * precision, the benign false-positive rate and the misses: `npx tsx scripts/score-web-attacks.ts [--misses]`.
 */
import { classifyRequest } from '../src/detectors/web-attacks/classify.js';
import {
  FAMILY_CLASSES,
  loadCrsStages,
  loadGotestwaf,
  loadHttpParams,
} from '../test/acceptance/web-attacks-corpora.js';

const showMisses = process.argv.includes('--misses');
const file = process.argv.find((a) => a.endsWith('.jsonl')) ?? 'split_public.jsonl';

console.log(
  `CRS ${file}, positives reaching the access log, PL 1-2 (strict: primary class; any: one of attack.classes)`,
);
const stages = loadCrsStages(file);
let allPos = 0;
let allStrict = 0;
for (const fam of Object.keys(FAMILY_CLASSES)) {
  const want = FAMILY_CLASSES[fam]!;
  const pos = stages.filter((s) => s.family === fam && s.kind === 'positive' && s.pl !== null && s.pl <= 2);
  let strict = 0;
  let any = 0;
  for (const s of pos) {
    const c = classifyRequest(s.request);
    if (c && want.includes(c.cls)) strict++;
    else if (showMisses)
      console.log(
        `  miss ${s.id} ${JSON.stringify(s.request)} -> ${c ? `${c.cls} ${c.fragment} [${c.classes.join(',')}]` : 'clean'}`,
      );
    if (c?.classes.some((k) => want.includes(k))) any++;
  }
  allPos += pos.length;
  allStrict += strict;
  console.log(
    `  ${fam} ${want.join('/')}: ${strict}/${pos.length} strict (${((100 * strict) / pos.length).toFixed(1)} %), ${any} any`,
  );
}
console.log(`  all: ${allStrict}/${allPos} (${((100 * allStrict) / allPos).toFixed(1)} %)`);

// Precision on the CRS stages: a flagged class is right when the stage is a positive of that family.
const flagged = new Map<string, { right: number; total: number }>();
for (const s of stages) {
  const c = classifyRequest(s.request);
  if (!c) continue;
  const e = flagged.get(c.cls) ?? { right: 0, total: 0 };
  e.total++;
  if (s.kind === 'positive' && (FAMILY_CLASSES[s.family] ?? []).includes(c.cls)) e.right++;
  flagged.set(c.cls, e);
}
console.log(
  `  flagged per class (right family / flagged): ${[...flagged].map(([k, v]) => `${k} ${v.right}/${v.total}`).join(', ')}`,
);

const params = loadHttpParams();
const benign = params.filter((p) => p.label === 'norm');
for (const enc of ['encoded', 'raw'] as const) {
  let fp = 0;
  for (const b of benign) {
    const v = enc === 'encoded' ? encodeURIComponent(b.value) : b.value.replace(/ /g, '+');
    const c = classifyRequest({ url: `/search?q=${v}` });
    if (c) {
      fp++;
      if (showMisses && enc === 'encoded')
        console.log(`  fp ${JSON.stringify(b.value)} -> ${c.cls} ${c.signature} ${c.fragment}`);
    }
  }
  console.log(
    `httpparams benign (${enc}): ${fp}/${benign.length} flagged (${((100 * fp) / benign.length).toFixed(2)} %)`,
  );
}
const anomTypes = new Map<string, { hit: number; total: number }>();
const TYPE_CLASS: Record<string, string[]> = {
  sqli: ['sqli'],
  xss: ['xss'],
  'path-traversal': ['traversal', 'lfi'],
  cmdi: ['rce'],
};
for (const a of params.filter((p) => p.label === 'anom')) {
  const c = classifyRequest({ url: `/search?q=${encodeURIComponent(a.value)}` });
  const e = anomTypes.get(a.type) ?? { hit: 0, total: 0 };
  e.total++;
  if (c && (TYPE_CLASS[a.type] ?? []).includes(c.cls)) e.hit++;
  anomTypes.set(a.type, e);
}
console.log(
  `httpparams attacks (right class): ${[...anomTypes].map(([k, v]) => `${k} ${v.hit}/${v.total} (${((100 * v.hit) / v.total).toFixed(1)} %)`).join(', ')}`,
);

const WAF_CLASS: Record<string, string[]> = {
  'sql-injection': ['sqli'],
  'community-sqli': ['sqli'],
  'nosql-injection': ['sqli'],
  'xss-scripting': ['xss'],
  'community-xss': ['xss'],
  'path-traversal': ['traversal', 'lfi'],
  'community-lfi': ['traversal', 'lfi'],
  'rce-urlparam': ['rce'],
  'rce-urlpath': ['rce'],
  rce: ['rce'],
  'community-rce': ['rce'],
  'shell-injection': ['rce'],
};
const waf = loadGotestwaf();
const wafStats = new Map<string, { hit: number; any: number; total: number }>();
let fpTexts = 0;
let texts = 0;
for (const w of waf) {
  const name = w.file.split('/')[1]!.replace('.yml', '');
  const inPath = w.placeholders.includes('URLPath') && !w.placeholders.includes('URLParam');
  const enc = encodeURIComponent(w.payload);
  const c = classifyRequest(inPath ? { url: `/${enc}` } : { url: `/?p=${enc}` });
  if (name === 'texts') {
    texts++;
    if (c) {
      fpTexts++;
      if (showMisses) console.log(`  waf fp ${JSON.stringify(w.payload)} -> ${c.cls} ${c.signature} ${c.fragment}`);
    }
    continue;
  }
  const want = WAF_CLASS[name];
  if (!want) continue;
  const e = wafStats.get(name) ?? { hit: 0, any: 0, total: 0 };
  e.total++;
  if (c && want.includes(c.cls)) e.hit++;
  if (c) e.any++;
  else if (showMisses) console.log(`  waf miss ${name} ${JSON.stringify(w.payload).slice(0, 160)}`);
  wafStats.set(name, e);
}
console.log(
  `gotestwaf (right class / flagged at all / total): ${[...wafStats].map(([k, v]) => `${k} ${v.hit}/${v.any}/${v.total}`).join(', ')}`,
);
console.log(`gotestwaf false-pos texts flagged: ${fpTexts}/${texts}`);
