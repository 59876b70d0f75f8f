import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { createManualClock } from '../../src/core/clock.js';
import type { Detection } from '../../src/core/detection.js';
import { createSequentialIds } from '../../src/core/ids.js';
import { builtinScenarioDir, createScenarioEngine, loadScenarios } from '../../src/detectors/scenarios/index.js';
import { createParser } from '../../src/parsers/index.js';
import {
  CROWDSEC_ALERT_CASES,
  CROWDSEC_EXTRA_ALERT_CASES,
  CROWDSEC_SILENT_CASES,
  hubSourceType,
  hubSourceValue,
} from '../support/crowdsec-cases.js';

/**
 * Acceptance: replay CrowdSec hub test cases through every built-in scenario and check that we
 * alert on the same source addresses with a scenario of the same kind, as many times as
 * upstream does, and stay silent where upstream expects nothing. Lines go through the real
 * parsers (`createParser('auto')`), with "now" in late 2026 for syslog year inference.
 */
const CORPUS = path.resolve(import.meta.dirname, '../../../shared/corpora/crowdsec-hub/tests');
const NOW = Date.UTC(2026, 10, 23, 12, 0, 0); // "now" for year inference of syslog lines

/** Upstream scenario name -> ours. */
const KIND: Record<string, string> = {
  'crowdsecurity/ssh-bf': 'leuko/ssh-bf',
  'crowdsecurity/ssh-bf_user-enum': 'leuko/ssh-user-enum',
  'crowdsecurity/ssh-slow-bf': 'leuko/ssh-slow-bf',
  'crowdsecurity/ssh-time-based-bf': 'leuko/ssh-time-based-bf',
  'crowdsecurity/ssh-time-based-bf_user-enum': 'leuko/ssh-time-based-user-enum',
  'crowdsecurity/http-probing': 'leuko/http-probing',
  'crowdsecurity/http-sensitive-files': 'leuko/http-sensitive-files',
  // Backups and editor copies of wp-config.php: sensitive files like any other.
  'crowdsecurity/http-wordpress_wpconfig': 'leuko/http-sensitive-files',
  'crowdsecurity/http-path-traversal-probing': 'leuko/http-path-traversal',
  'crowdsecurity/http-xss-probbing': 'leuko/http-xss',
  'crowdsecurity/http-bad-user-agent': 'leuko/http-bad-user-agent',
  'crowdsecurity/http-backdoors-attempts': 'leuko/http-backdoors',
  'crowdsecurity/apache_log4j2_cve-2021-44228': 'leuko/http-log4shell',
  'crowdsecurity/http-cve-probing': 'leuko/http-cve-probing',
  'crowdsecurity/CVE-2022-42889': 'leuko/http-text4shell',
  'crowdsecurity/postfix-spam': 'leuko/smtp-abuse',
  'crowdsecurity/postfix-relay-denied': 'leuko/smtp-relay-attempt',
  'crowdsecurity/postfix-non-smtp-command': 'leuko/smtp-non-smtp-command',
  'Guezli/postfix-sasl-bf': 'leuko/smtp-auth-slow-bf',
  'crowdsecurity/ssh-cve-2024-6387': 'leuko/ssh-cve-2024-6387',
  'crowdsecurity/CVE-2021-4034': 'leuko/pkexec-exploit',
  'crowdsecurity/smb-bf': 'leuko/auth-bf',
  'crowdsecurity/wireguard-auth': 'leuko/wireguard-handshake-bf',
  'crowdsecurity/modsecurity': 'leuko/http-waf-alert',
  'crowdsecurity/auditd-postexploit-exec-from-net': 'leuko/exec-after-download',
  'crowdsecurity/auditd-base64-exec-behavior': 'leuko/exec-base64-to-interpreter',
  'crowdsecurity/auditd-postexploit-rm': 'leuko/exec-rm-burst',
  'crowdsecurity/auditd-suid-crash': 'leuko/setuid-crash',
  'crowdsecurity/asterisk_bf': 'leuko/auth-bf',
  // Failed logins and rejects in a 10s burst (upstream counts both as failed auth): ours too.
  'crowdsecurity/exim-bf': 'leuko/smtp-abuse',
  'crowdsecurity/exim-user-bf': 'leuko/auth-user-enum',
  'crowdsecurity/exim-spam': 'leuko/exim-spam',
  'crowdsecurity/http-open-proxy': 'leuko/http-open-proxy',
  'crowdsecurity/iptables-scan-multi_ports': 'leuko/port-scan',
  'crowdsecurity/proftpd-bf_user-enum': 'leuko/auth-user-enum',
  'crowdsecurity/pgsql-user-enum': 'leuko/auth-user-enum',
  'timokoessler/mongodb-bf': 'leuko/auth-bf',
  'crowdsecurity/endlessh-bf': 'leuko/ssh-tarpit',
  'MariuszKociubinski/bitwarden-bf': 'leuko/auth-bf',
  'crowdsecurity/freeswitch-bf': 'leuko/auth-bf',
  'crowdsecurity/freeswitch-user-enumeration': 'leuko/auth-bf',
  'crowdsecurity/freeswitch-acl-reject': 'leuko/auth-bf',
  'timokoessler/mongodb-bf_auth-db-enum': 'leuko/auth-user-enum',
  'fulljackz/proxmox-bf': 'leuko/auth-bf',
  'fulljackz/proxmox-bf-user-enum': 'leuko/auth-user-enum',
  'nicoh88/proxmox-backup-auth-bf': 'leuko/auth-bf',
  'crowdsecurity/nextcloud-bf': 'leuko/auth-bf',
  'crowdsecurity/nextcloud-bf_user_enum': 'leuko/auth-user-enum',
  'crowdsecurity/nextcloud-bf_domain_error': 'leuko/http-untrusted-host',
  'crowdsecurity/home-assistant-bf': 'leuko/auth-bf',
  'inherent-io/keycloak-bf': 'leuko/auth-bf',
  'inherent-io/keycloak-user-enum-bf': 'leuko/auth-user-enum',
  'inherent-io/keycloak-slow-bf': 'leuko/auth-slow-bf',
  'inherent-io/keycloak-user-enum-slow-bf': 'leuko/auth-user-enum',
  'firewallservices/zimbra-bf': 'leuko/auth-bf',
  'firewallservices/zimbra-user-enum': 'leuko/auth-user-enum',
  'crowdsecurity/teleport-bf': 'leuko/auth-bf',
  'LearningSpot/hestiacp-bf': 'leuko/auth-bf',
  'LearningSpot/hestiacp-bf-user-enum': 'leuko/auth-user-enum',
  'timokoessler/uptime-kuma-bf': 'leuko/auth-bf',
  'LearningSpot/dockge-bf': 'leuko/auth-bf',
  'crowdsecurity/stirling-pdf-bf': 'leuko/auth-bf',
  'LePresidente/emby-bf': 'leuko/auth-bf',
  'PintjesB/technitium-bf': 'leuko/auth-bf',
  'LePresidente/jellyfin-bf': 'leuko/auth-bf',
  'Jgigantino31/calibre-web-bf': 'leuko/auth-bf',
  'Jgigantino31/calibre-web-bf_user-enum': 'leuko/auth-user-enum',
  'gauth-fr/immich-bf': 'leuko/auth-bf',
  'crowdsecurity/thehive-bf': 'leuko/auth-bf',
  'gilbsgilbs/qbittorrent-bf': 'leuko/auth-bf',
  'LePresidente/redmine-bf': 'leuko/auth-bf',
  'crowdsecurity/pfsense-gui-bf': 'leuko/auth-bf',
  'crowdsecurity/opnsense-gui-bf': 'leuko/auth-bf',
  'jusabatier/apereo-cas-bf': 'leuko/auth-bf',
  'jusabatier/apereo-cas-bf_user-enum': 'leuko/auth-user-enum',
  'firewallservices/lemonldap-ng-bf': 'leuko/auth-bf',
  'firewallservices/lemonldap-ng-user-enum': 'leuko/auth-user-enum',
  'schiz0phr3ne/sonarr-bf': 'leuko/auth-bf',
  'sdwilsh/navidrome-bf': 'leuko/auth-bf',
  'a1ad/mikrotik-bf': 'leuko/auth-bf',
  'baudneo/gotify-bf': 'leuko/auth-bf',
  'lourys/pterodactyl-wings-bf': 'leuko/auth-bf',
  'crowdsecurity/exchange-bf': 'leuko/auth-bf',
  'corvese/apache-guacamole_bf': 'leuko/auth-bf',
  'corvese/apache-guacamole_user_enum': 'leuko/auth-user-enum',
  'mwinters-stuff/mailu-admin-bf': 'leuko/auth-rate-limited',
  'crowdsecurity/cpanel-bf-attempt': 'leuko/auth-rate-limited',
  'crowdsecurity/amavis-blocked': 'leuko/mail-blocked',
  'mstilkerich/bind9-refused': 'leuko/dns-refused-flood',
  'crowdsecurity/ssh-generic-test': 'leuko/ssh-self-test',
  'crowdsecurity/windows-bf': 'leuko/auth-bf',
  'a1ad/meshcentral-bf': 'leuko/auth-bf',
  'Jgigantino31/ntfy-bf': 'leuko/auth-bf',
  'bouddha-fr/opensearch-dashboard-bf': 'leuko/auth-bf',
  'crowdsecurity/http-apiscp-bf': 'leuko/http-apiscp-bf',
  'darkclip/charon-ipsec-bf': 'leuko/auth-bf',
  'crowdsecurity/telnet-bf': 'leuko/honeypot-probe',
  // One scenario per CVE upstream; one signature list here, each entry naming its CVE.
  'crowdsecurity/f5-big-ip-cve-2020-5902': 'leuko/http-cve-exploit',
  'crowdsecurity/fortinet-cve-2018-13379': 'leuko/http-cve-exploit',
  'crowdsecurity/pulse-secure-sslvpn-cve-2019-11510': 'leuko/http-cve-exploit',
  'crowdsecurity/jira_cve-2021-26086': 'leuko/http-cve-exploit',
  'crowdsecurity/spring4shell_cve-2022-22965': 'leuko/http-cve-exploit',
  'crowdsecurity/CVE-2024-0012': 'leuko/http-cve-exploit',
  'crowdsecurity/CVE-2022-37042': 'leuko/http-cve-exploit',
  'crowdsecurity/CVE-2022-26134': 'leuko/http-cve-exploit',
  'crowdsecurity/http-cve-2021-42013': 'leuko/http-cve-exploit',
  'crowdsecurity/netgear_rce': 'leuko/http-cve-exploit',
  'crowdsecurity/CVE-2024-38475': 'leuko/http-cve-exploit',
  'baudneo/zoneminder_cve-2022-39285': 'leuko/http-cve-exploit',
};

/** Upstream scenario files -> the scenarios they define (ours). */
const FILE_DEFINES: Record<string, string[]> = {
  'ssh-bf': ['leuko/ssh-bf', 'leuko/ssh-user-enum'],
  'ssh-slow-bf': ['leuko/ssh-slow-bf'],
  'ssh-time-based-bf': ['leuko/ssh-time-based-bf', 'leuko/ssh-time-based-user-enum'],
  'exim-bf': ['leuko/smtp-abuse', 'leuko/auth-user-enum'],
};

const CASES = [...CROWDSEC_ALERT_CASES, ...CROWDSEC_EXTRA_ALERT_CASES];
const SILENT_CASES = CROWDSEC_SILENT_CASES;

interface Expected {
  count: number;
  results: { scenario?: string; sources: string[] }[];
}

/** The asserts' expected alerts; without a `len(results)` line, as many as the asserts name. */
function parseAssert(text: string): Expected {
  const exp: Expected = { count: -1, results: [] };
  const at = (i: number) => (exp.results[i] ??= { sources: [] });
  for (const line of text.split('\n')) {
    const len = /^len\(results\) == (\d+)/.exec(line);
    if (len) exp.count = Number(len[1]);
    const src = /^"([^"]+)" in results\[(\d+)\]\.Overflow\.GetSources\(\)/.exec(line);
    if (src) at(Number(src[2])).sources.push(src[1]!);
    const sc = /^results\[(\d+)\]\.Overflow\.Alert\.GetScenario\(\) == "([^"]+)"/.exec(line);
    if (sc) at(Number(sc[1])).scenario = sc[2]!;
  }
  if (exp.count < 0) exp.count = exp.results.length;
  return exp;
}

/** Scenario names upstream loads for the case, mapped to ours. */
function loadedKinds(config: { scenarios?: unknown }): Set<string> {
  const out = new Set<string>();
  for (const entry of Array.isArray(config.scenarios) ? config.scenarios : []) {
    if (typeof entry !== 'string' || entry.trim() === '') continue;
    const base = path.basename(entry.trim(), '.yaml');
    const mapped = FILE_DEFINES[base] ?? [KIND[`crowdsecurity/${base}`]].filter((x): x is string => x !== undefined);
    for (const m of mapped) out.add(m);
  }
  return out;
}

function replay(caseName: string): { detections: Detection[]; config: Record<string, unknown> } {
  const dir = path.join(CORPUS, caseName);
  const config = parseYaml(readFileSync(path.join(dir, 'config.yaml'), 'utf8')) as Record<string, unknown>;
  const { scenarios, issues } = loadScenarios([builtinScenarioDir()]);
  expect(issues).toEqual([]);
  const engine = createScenarioEngine(scenarios, { ids: createSequentialIds() });
  const parse = createParser('auto', { clock: createManualClock(NOW) });
  const detections: Detection[] = [];
  const lines = readFileSync(path.join(dir, String(config.log_file)), 'utf8').split('\n');
  for (const line of lines) {
    if (line === '') continue;
    const parsed = parse(line);
    if (parsed) detections.push(...engine.process({ time: parsed.time, event: parsed.event, sourceId: caseName }));
  }
  // What the parser still holds at the end (auditd's last event), as `leuko replay` hands it over.
  for (const held of parse.drain?.() ?? [])
    detections.push(...engine.process({ time: held.time, event: held.event, sourceId: caseName }));
  return { detections, config };
}

function summary(ds: readonly Detection[]): string[] {
  return ds.map((d) => `${d.scenario} ${d.entity.type}:${d.entity.value} x${d.count}`);
}

describe('CrowdSec hub scenario cases', () => {
  for (const name of CASES) {
    it(name, () => {
      const { detections, config } = replay(name);
      const expected = parseAssert(readFileSync(path.join(CORPUS, name, 'scenario.assert'), 'utf8'));
      const info = `got ${JSON.stringify(summary(detections))}`;
      expect(expected.results.length, info).toBe(expected.count);
      for (const r of expected.results) {
        const ours = KIND[r.scenario ?? ''];
        expect(ours, `no mapping for ${r.scenario}`).toBeDefined();
        for (const src of r.sources) {
          const type = hubSourceType(src);
          const value = hubSourceValue(src);
          const hit = detections.some((d) => d.scenario === ours && d.entity.type === type && d.entity.value === value);
          expect(hit, `${ours} for ${src} (${info})`).toBe(true);
        }
      }
      // Same number of alerts per kind as upstream, for every kind the upstream case loads
      // (loaded but not expected means upstream proves it must stay silent).
      const kinds = loadedKinds(config);
      for (const r of expected.results) kinds.add(KIND[r.scenario ?? '']!);
      for (const kind of kinds) {
        const want = expected.results.filter((r) => KIND[r.scenario ?? ''] === kind).length;
        const got = detections.filter((d) => d.scenario === kind).length;
        expect(got, `${kind} alerts (${info})`).toBe(want);
      }
    });
  }
  for (const name of SILENT_CASES) {
    it(`${name} raises no alert`, () => {
      const { detections } = replay(name);
      expect(summary(detections)).toEqual([]);
    });
  }
});
