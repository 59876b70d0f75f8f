import { isGlob } from '../platform/glob.js';
import ipaddr from 'ipaddr.js';
import { normalizeCidr } from './fields.js';
import type { Finding } from './finding.js';
import { didYouMean } from './hints.js';
import type { ParsedConfig } from './schema.js';
import type { HostProbe, LeukoConfig, SourceConfig } from './types.js';

const warn = (path: Finding['path'], message: string, hint: string): Finding => ({
  path,
  message,
  hint,
  severity: 'warning',
});

/** Duplicate ids would share one checkpoint and corrupt each other's read positions. */
export function checkSources(sources: readonly SourceConfig[], written: boolean, probe: HostProbe): Finding[] {
  const out: Finding[] = [];
  if (!written) {
    out.push(
      warn(
        ['sources'],
        'no sources configured: leuko will only read what the command line gives it',
        'add a sources list, e.g. sources: [{ type: file, path: /var/log/auth.log, format: sshd }]',
      ),
    );
  }
  const seen = new Map<string, number>();
  sources.forEach((s, i) => {
    const first = seen.get(s.id);
    if (first !== undefined) {
      out.push({
        path: ['sources', i],
        message: `duplicate source id "${s.id}" (also sources[${first}])`,
        hint:
          s.type === 'file'
            ? 'each file must be listed once; to read it twice give each entry its own `id`'
            : 'give each source its own `id`',
        severity: 'error',
      });
    } else seen.set(s.id, i);
    if (s.type === 'file' && !probe.exists(s.path)) {
      out.push(
        isGlob(s.path)
          ? warn(
              ['sources', i, 'path'],
              `no file matches ${s.path} now`,
              'leuko run follows matching files as they appear (see `rescan`); check the pattern for typos',
            )
          : warn(
              ['sources', i, 'path'],
              `file ${s.path} does not exist now`,
              'leuko will start reading when it appears; check the path for typos',
            ),
      );
    }
    if (s.type === 'journald' && !probe.journaldAvailable) {
      out.push(
        warn(['sources', i], 'journald is not available on this host', 'use a file source for the log files instead'),
      );
    }
    if (s.type === 'syslog') {
      for (const key of ['listen_udp', 'listen_tcp'] as const) {
        const addr = s[key];
        if (addr && !isLoopback(addr.host)) {
          out.push(
            warn(
              ['sources', i, key],
              `syslog listens on ${addr.host}, reachable from other hosts`,
              'anyone who can reach it can forge log lines and get addresses banned; listen on 127.0.0.1 or firewall the port',
            ),
          );
        }
      }
    }
  });
  return out;
}

function isLoopback(host: string): boolean {
  try {
    return ipaddr.parse(host).range() === 'loopback';
  } catch {
    return false;
  }
}

function covers(allowlist: readonly string[], address: string): boolean {
  const addr = ipaddr.parse(address);
  return allowlist.some((entry) => {
    try {
      const range = ipaddr.parseCIDR(normalizeCidr(entry) ?? entry);
      return range[0].kind() === addr.kind() && addr.match(range);
    } catch {
      return false;
    }
  });
}

/**
 * Allowlist sanity. Missing loopback lets Leuko ban the host's own services talking to each
 * other; a /0 entry silently disables every response.
 */
export function checkPolicy(
  policy: ParsedConfig['policy'],
  rawAllowlist: unknown,
  responders: readonly unknown[] | undefined,
): Finding[] {
  const out: Finding[] = [];
  for (const [addr, name] of [
    ['127.0.0.1', '127.0.0.0/8'],
    ['::1', '::1'],
  ] as const) {
    if (!covers(policy.allowlist, addr)) {
      out.push(
        warn(
          ['policy', 'allowlist'],
          `allowlist does not cover loopback ${addr}`,
          `add ${name} so that leuko never blocks the host talking to itself`,
        ),
      );
    }
  }
  policy.allowlist.forEach((entry, i) => {
    if (entry.endsWith('/0')) {
      out.push(
        warn(
          ['policy', 'allowlist', i],
          `${entry} allowlists every address`,
          'nothing will ever be blocked; list your networks instead',
        ),
      );
    }
    const raw = Array.isArray(rawAllowlist) ? rawAllowlist[i] : undefined;
    if (typeof raw === 'string' && raw.includes('/')) {
      const written = raw.trim().split('/')[0] ?? '';
      const network = entry.split('/')[0] ?? '';
      if (ipaddr.isValid(written) && ipaddr.parse(written).toString() !== network) {
        out.push(
          warn(
            ['policy', 'allowlist', i],
            `${raw} has host bits set; it means ${entry}`,
            `write ${entry}, or the address alone if only that host was meant`,
          ),
        );
      }
    }
  });
  if (policy.mode === 'observe' && responders && responders.length > 0) {
    out.push(
      warn(
        ['policy', 'mode'],
        'responders are configured but policy.mode is observe, so they will never act',
        'set policy.mode: contain to let them act, or remove the responders',
      ),
    );
  }
  return out;
}

export function checkDecisions(d: ParsedConfig['decisions']): Finding[] {
  if (d.escalation.max_duration >= d.default_duration) return [];
  return [
    warn(
      ['decisions', 'escalation', 'max_duration'],
      'max_duration is shorter than default_duration, so every decision is capped to it',
      'raise max_duration or lower default_duration',
    ),
  ];
}

export function checkScenarios(
  s: LeukoConfig['scenarios'],
  known: readonly string[] | undefined,
  probe: HostProbe,
): Finding[] {
  const out: Finding[] = [];
  s.dirs.forEach((dir, i) => {
    if (!probe.exists(dir)) {
      out.push(warn(['scenarios', 'dirs', i], `directory ${dir} does not exist`, 'create it or fix the path'));
    }
  });
  if (!known) return out;
  const unknown = (id: string, path: Finding['path'], target: 'key' | 'value') => {
    if (known.includes(id)) return;
    const guess = didYouMean(id, known);
    out.push({
      path,
      target,
      message: `unknown scenario "${id}"`,
      hint: guess ? `did you mean "${guess}"?` : 'list the scenarios with `leuko rules list`',
      severity: 'warning',
    });
  };
  s.disable.forEach((id, i) => {
    unknown(id, ['scenarios', 'disable', i], 'value');
  });
  for (const id of Object.keys(s.overrides)) unknown(id, ['scenarios', 'overrides', id], 'key');
  return out;
}
