import type { EcsEvent, ParsedLine } from '../../core/event.js';
import { normalizeIp } from '../shared/address.js';
import type { Stream } from '../shared/stream.js';
import { type AuditRecord, type AuditValue, decodeHex, stringValue } from './record.js';
import { syscallName } from './syscalls.js';

/** Fields holding untrusted strings (quoted plain, or unquoted hex). */
const STRING_FIELDS = new Set([
  'comm',
  'exe',
  'cwd',
  'name',
  'proctitle',
  'acct',
  'path',
  'cmd',
  'data',
  'hostname',
  'terminal',
  'key',
  'unit',
  'op',
]);
const AUTH_TYPES = new Set([
  'USER_AUTH',
  'USER_LOGIN',
  'USER_ERR',
  'USER_ACCT',
  'CRED_ACQ',
  'CRED_REFR',
  'USER_LOGOUT',
]);
const MAX_ARGS = 1024;

function num(v: AuditValue | undefined): number | undefined {
  if (!v || v.quoted || !/^\d{1,10}$/.test(v.text)) return undefined;
  return Number(v.text);
}

function firstOf(records: readonly AuditRecord[], type: string): AuditRecord | undefined {
  return records.find((r) => r.type === type);
}

/** The field's value (untrusted strings decoded); undefined for `(null)` and `?`. */
function fieldValue(type: string, key: string, v: AuditValue): string | undefined {
  const isString = STRING_FIELDS.has(key) || (type === 'EXECVE' && /^a\d+(\[\d+\])?$/.test(key));
  return isString ? stringValue(v) : v.text;
}

/** EXECVE arguments in order, long ones (`a1_len`, `a1[0]`, `a1[1]`...) joined back. */
function execArgs(rec: AuditRecord): string[] {
  const argc = num(rec.fields.get('argc'));
  const args: string[] = [];
  const limit = Math.min(argc ?? MAX_ARGS, MAX_ARGS);
  for (let i = 0; i < limit; i++) {
    const whole = rec.fields.get(`a${i}`);
    if (whole) {
      args.push(stringValue(whole) ?? '');
      continue;
    }
    let joined = '';
    let found = false;
    for (let j = 0; j < 4096; j++) {
      const part = rec.fields.get(`a${i}[${j}]`);
      if (!part) break;
      found = true;
      joined += part.quoted ? part.text : part.text;
    }
    if (!found) {
      if (argc === undefined) break;
      args.push('');
      continue;
    }
    // Split arguments are hex unless quoted; decode the whole once joined.
    args.push(decodeHex(joined) ?? joined);
  }
  return args;
}

/**
 * Join the records of one audit event (same serial) into one ECS event: the process from
 * SYSCALL and EXECVE (hex arguments decoded), its working directory from CWD, files from PATH,
 * the command line from EXECVE or else PROCTITLE; USER_AUTH/USER_LOGIN give an authentication
 * event with the account and the remote address. Raw record fields stay under `auditd.` so
 * Sigma's auditd rules (`type: EXECVE`, `a0: ...`, `SYSCALL: ...`) match them by name.
 */
export function joinRecords(stream: Stream, records: readonly AuditRecord[]): ParsedLine {
  const first = records[0]!;
  const ev: EcsEvent = stream.event(records.map((r) => r.line).join('\n'), first.time, 'auditd', first.node);
  ev['event.sequence'] = first.serial;
  const types: string[] = [];
  const hasExecve = records.some((r) => r.type === 'EXECVE');
  const pathArrays = new Map<string, string[]>();
  for (const r of records) {
    if (!types.includes(r.type)) types.push(r.type);
    for (const [k, v] of r.fields) {
      if (k === 'msg') continue;
      // With EXECVE present, a0.. are the arguments, not SYSCALL's raw register values.
      if (hasExecve && r.type === 'SYSCALL' && /^a\d+$/.test(k)) continue;
      const key = `auditd.${k}`;
      const val = fieldValue(r.type, k, v);
      if (val === undefined) continue;
      if (r.type === 'PATH') {
        let arr = pathArrays.get(key);
        if (!arr) pathArrays.set(key, (arr = []));
        arr.push(val);
      } else if (ev[key] === undefined || (r.type === 'EXECVE' && /^a\d+$/.test(k))) ev[key] = val;
    }
  }
  for (const [k, arr] of pathArrays) if (ev[k] === undefined) ev[k] = arr.length === 1 ? arr[0]! : arr;
  ev['auditd.type'] = types;

  const sys = firstOf(records, 'SYSCALL');
  const execve = firstOf(records, 'EXECVE');
  const user = records.find((r) => AUTH_TYPES.has(r.type)) ?? records.find((r) => r.fields.has('msg'));
  const main = sys ?? user ?? first;
  const f = (k: string): AuditValue | undefined => main.fields.get(k);

  const syscall = sys
    ? ((ev['auditd.SYSCALL'] as string | undefined) ?? syscallName(f('arch')?.text, f('syscall')?.text))
    : undefined;
  if (syscall !== undefined && ev['auditd.SYSCALL'] === undefined) ev['auditd.SYSCALL'] = syscall;

  const pid = num(f('pid'));
  if (pid !== undefined) ev['process.pid'] = pid;
  const ppid = num(f('ppid'));
  if (ppid !== undefined) ev['process.parent.pid'] = ppid;
  const exe = stringValue(f('exe'));
  if (exe !== undefined) ev['process.executable'] = exe;
  const comm = stringValue(f('comm'));
  if (comm !== undefined) ev['process.name'] = comm;
  if (execve) {
    const args = execArgs(execve);
    ev['process.args'] = args;
    ev['process.args_count'] = args.length;
    ev['process.command_line'] = args.join(' ');
  } else {
    const title = stringValue(firstOf(records, 'PROCTITLE')?.fields.get('proctitle'));
    if (title !== undefined) ev['process.command_line'] = title.replace(/\0+$/, '').replace(/\0/g, ' ');
  }
  const cwd = stringValue(firstOf(records, 'CWD')?.fields.get('cwd'));
  if (cwd !== undefined) ev['process.working_directory'] = cwd;

  const uid = f('uid')?.text;
  if (uid !== undefined) ev['user.id'] = uid;
  const auid = f('auid')?.text;
  if (auid !== undefined) ev['user.audit.id'] = auid;
  const euid = f('euid')?.text;
  if (euid !== undefined) ev['user.effective.id'] = euid;
  const acct = stringValue(f('acct'));
  const enrichedUid = f('UID')?.text;
  if (acct !== undefined) ev['user.name'] = acct;
  else if (enrichedUid !== undefined && enrichedUid !== 'unset') ev['user.name'] = enrichedUid;
  const enrichedAuid = f('AUID')?.text;
  if (enrichedAuid !== undefined && enrichedAuid !== 'unset') ev['user.audit.name'] = enrichedAuid;

  const paths = records.filter((r) => r.type === 'PATH');
  if (paths.length > 0) {
    const pick =
      paths.find((p) => ['CREATE', 'DELETE'].includes(p.fields.get('nametype')?.text ?? '')) ??
      paths.find((p) => p.fields.get('nametype')?.text !== 'PARENT') ??
      paths[0]!;
    const name = stringValue(pick.fields.get('name'));
    if (name !== undefined) ev['file.path'] = name;
  }

  const addr = f('addr')?.text;
  const ip = addr !== undefined && addr !== '?' ? normalizeIp(addr) : undefined;
  if (ip !== undefined) ev['source.ip'] = ip;
  const host = stringValue(f('hostname'));
  if (host !== undefined && host !== addr && normalizeIp(host) === undefined) ev['source.address'] = host;

  const isExec = execve !== undefined || syscall === 'execve' || syscall === 'execveat';
  if (user && AUTH_TYPES.has(user.type)) {
    ev['event.category'] = ['authentication'];
    ev['event.type'] = user.type === 'USER_LOGOUT' ? ['end'] : ['start'];
  } else if (isExec) {
    ev['event.category'] = ['process'];
    ev['event.type'] = ['start'];
  } else if (paths.length > 0) ev['event.category'] = ['file'];
  ev['event.action'] = sys ? (syscall ?? `syscall_${f('syscall')?.text ?? 'unknown'}`) : main.type.toLowerCase();
  const success = f('success')?.text;
  const res = f('res')?.text;
  if (success === 'yes' || res === 'success' || res === '1') ev['event.outcome'] = 'success';
  else if (success === 'no' || res === 'failed' || res === 'failure' || res === '0') ev['event.outcome'] = 'failure';
  return stream.done(ev, first.time);
}
