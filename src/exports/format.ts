import type { AuditRecord } from '../core/audit.js';

/** Fields of an audit record's data that exports care about (every one optional). */
interface Data {
  scenario?: unknown;
  entity?: { type?: unknown; value?: unknown };
  explanation?: unknown;
  techniques?: unknown;
  severity?: unknown;
  scope?: unknown;
  value?: unknown;
  action?: unknown;
  reason?: unknown;
  count?: unknown;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/** The entity a record is about, when it names one: detections/incidents carry it, decisions scope/value. */
export function targetOf(r: AuditRecord): { type: string; value: string } | undefined {
  const d = (r.data ?? {}) as Data;
  const type = str(d.entity?.type) ?? str(d.scope);
  const value = str(d.entity?.value) ?? str(d.value);
  return type && value ? { type, value } : undefined;
}

/** One line a person reads: `leuko/ssh-bf ip:198.51.100.7 — 6 failed ssh logins ...`. */
export function summaryOf(r: AuditRecord): string {
  const d = (r.data ?? {}) as Data;
  const t = targetOf(r);
  const target = t ? `${t.type}:${t.value}` : r.subject;
  if (r.action === 'detection.raised')
    return `${str(d.scenario) ?? 'detection'} ${target}${str(d.explanation) ? ` — ${d.explanation}` : ''}`;
  if (r.kind === 'decision')
    return `${r.action} ${str(d.action) ?? ''} ${target}${str(d.reason) ? ` (${d.reason})` : ''}`.replace(/ +/g, ' ');
  return `${r.action} ${target} by ${r.actor}`;
}

/** Syslog severity: detections warn, decisions and incidents notice, the rest info. */
export function severityOf(r: AuditRecord): number {
  if (r.action === 'detection.raised') return 4;
  if (r.kind === 'decision' || r.kind === 'incident' || r.kind === 'action') return 5;
  return 6;
}

/**
 * Elastic Common Schema (ECS 8) document for one audit record, for a JSON-lines file a shipper
 * (Filebeat, Vector) forwards. Leuko-specific fields live under `leuko.*`.
 */
export function toEcs(r: AuditRecord, host: string): Record<string, unknown> {
  const d = (r.data ?? {}) as Data;
  const t = targetOf(r);
  const techniques = Array.isArray(d.techniques) ? d.techniques.filter((x): x is string => typeof x === 'string') : [];
  const ip = t && (t.type === 'ip' || t.type === 'range') ? t.value : undefined;
  return {
    '@timestamp': new Date(r.at).toISOString(),
    message: summaryOf(r),
    event: {
      kind: r.action === 'detection.raised' ? 'alert' : 'event',
      category: ['intrusion_detection'],
      type: [r.kind === 'decision' ? 'change' : 'info'],
      action: r.action,
      dataset: `leuko.${r.kind}`,
      provider: 'leuko',
      id: String(r.seq),
      severity: severityOf(r),
      ...(str(d.reason) ? { reason: d.reason } : {}),
    },
    host: { name: host },
    ...(str(d.scenario) ? { rule: { name: d.scenario, ruleset: 'leuko' } } : {}),
    ...(ip && !ip.includes('/') ? { source: { ip } } : {}),
    ...(t?.type === 'user' ? { user: { name: t.value } } : {}),
    ...(techniques.length ? { threat: { framework: 'MITRE ATT&CK', technique: { id: techniques } } } : {}),
    labels: { subject: r.subject, actor: r.actor },
    leuko: {
      audit: { seq: r.seq, hash: r.hash, prev_hash: r.prevHash },
      kind: r.kind,
      ...(t ? { target: t } : {}),
      ...(str(d.action) ? { response: d.action } : {}),
    },
  };
}

const sdEscape = (v: string) => v.replace(/[\\"\]]/g, (c) => `\\${c}`);
const printable = (v: string, max: number) => v.replace(/[^\x21-\x7e]/g, '_').slice(0, max) || '-';
/** Control characters out of free text: a log line must stay one line on the collector. */
const oneLine = (v: string) => v.replace(/[\u0000-\u001f\u007f]/g, ' ');

/** Private enterprise number for structured data ids (32473 is IANA's example number). */
const SD_ID = 'leuko@32473';
const FACILITY_AUTHPRIV = 10;

/** RFC 5424 message: header, one structured-data element, and the summary. */
export function toRfc5424(r: AuditRecord, host: string, msg: string = oneLine(summaryOf(r))): string {
  const pri = FACILITY_AUTHPRIV * 8 + severityOf(r);
  const t = targetOf(r);
  const params: [string, string][] = [
    ['seq', String(r.seq)],
    ['kind', r.kind],
    ['action', r.action],
    ['subject', r.subject],
    ['actor', r.actor],
    ...(t ? ([['target', `${t.type}:${t.value}`]] as [string, string][]) : []),
  ];
  const sd = `[${SD_ID} ${params.map(([k, v]) => `${k}="${sdEscape(oneLine(v))}"`).join(' ')}]`;
  return `<${pri}>1 ${new Date(r.at).toISOString()} ${printable(host, 255)} leuko ${process.pid} ${printable(r.action, 32)} ${sd} ${msg}`;
}

const cefHeader = (v: string) => oneLine(v).replace(/[\\|]/g, (c) => `\\${c}`);
const cefExt = (v: string) => v.replace(/[\\=]/g, (c) => `\\${c}`).replace(/\r?\n/g, '\\n');

/** ArcSight CEF: `CEF:0|Leuko|Leuko|version|signature|name|severity|extensions`. */
export function toCef(r: AuditRecord, host: string, version: string): string {
  const d = (r.data ?? {}) as Data;
  const t = targetOf(r);
  const sev = r.action === 'detection.raised' ? 7 : r.kind === 'decision' ? 5 : 3;
  const ext: [string, string | undefined][] = [
    ['rt', String(r.at)],
    ['dvchost', host],
    ['externalId', String(r.seq)],
    ['src', t && t.type === 'ip' ? t.value : undefined],
    ['suser', t && t.type === 'user' ? t.value : undefined],
    ['act', str(d.action)],
    ['cs1Label', str(d.scenario) ? 'scenario' : undefined],
    ['cs1', str(d.scenario)],
    ['cs2Label', 'actor'],
    ['cs2', r.actor],
    ['cs3Label', 'subject'],
    ['cs3', r.subject],
    ['msg', summaryOf(r)],
  ];
  const extension = ext
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${cefExt(v)}`)
    .join(' ');
  return `CEF:0|Leuko|Leuko|${cefHeader(version)}|${cefHeader(r.action)}|${cefHeader(summaryOf(r).slice(0, 200))}|${sev}|${extension}`;
}
