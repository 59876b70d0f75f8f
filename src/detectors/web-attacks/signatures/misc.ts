import type { Signature } from '../types.js';

/**
 * Log4Shell lookups (CVE-2021-44228) and attack tools that announce themselves. Lookups are
 * first unwrapped (`${${lower:j}${::-n}di:` reads `${jndi:`), see `unwrapLookups`.
 */
export const MISC: readonly Signature[] = [
  {
    id: 'log4shell.jndi',
    needles: ['${'],
    cls: 'log4shell',
    view: 'text',
    strength: 3,
    re: /\$\{\s*jndi\s*:\s*(?:ldaps?|rmi|dns|iiop|corba|nds|nis|http|https)?/,
  },
  {
    id: 'log4shell.lookup',
    needles: ['${'],
    cls: 'log4shell',
    view: 'text',
    strength: 2,
    re: /\$\{\s*(?:\$\{|(?:lower|upper|env|sys|java|base64|date|main|bundle|k8s|docker|spring|log4j|ctx|sd|web|marker|map|event|jvmrunargs)\s*:)/,
  },
  {
    id: 'scanner.oast',
    needles: [
      'burpcollab',
      'oastify',
      'oast.',
      'interact.sh',
      'dnslog',
      'ceye',
      'bxss',
      'canarytokens',
      'requestbin',
      'pipedream',
      'xss.ht',
      'acunetix',
      'nessus',
      'nice%20ports',
      'trinity',
    ],
    cls: 'scanner',
    view: 'text',
    strength: 1,
    // Out-of-band callback hosts used by scanners to confirm blind injections.
    re: /\b(?:burpcollaborator\.net|oastify\.com|oast\.(?:pro|live|site|online|fun|me)|interact\.sh|dnslog\.cn|ceye\.io|bxss\.me|canarytokens\.com|requestbin\.net|pipedream\.net|xss\.ht)\b|\bacunetix-wvs-test|\bnessus(?:test|_is_probing_you)|\/nice%20ports|trinity\.txt\.bak/,
    plain: true,
  },
];

/** Tools that put their own name in the User-Agent (rules/data/attack_tools_user_agents.txt and more). */
export const SCANNER_AGENTS: readonly string[] = [
  'sqlmap',
  'nikto',
  'nmap scripting engine',
  'nmap nse',
  'masscan',
  'zgrab',
  'nuclei',
  'wpscan',
  'dirbuster',
  'gobuster',
  'feroxbuster',
  'fuzz faster u fool',
  'wfuzz',
  'hydra',
  'acunetix',
  'netsparker',
  'nessus',
  'openvas',
  'arachni',
  'w3af',
  'skipfish',
  'commix',
  'jaeles',
  'whatweb',
  'zmeu',
  'morfeus',
  'havij',
  'jorgee',
  'paros',
  'webinspect',
  'appscan',
  'burpcollaborator',
  'interact.sh',
  'dotdotpwn',
  'fimap',
  'bsqlbf',
  'metasploit',
  'sysscan',
  'l9explore',
  'l9tcpid',
  'wapiti',
  'owasp zap',
  'zaproxy',
  'grendel-scan',
  'sqlninja',
  'pangolin',
  'brutus',
  'x-scan',
  'webshag',
  'dirb/',
  'qualys',
  'vega/',
  'xsstrike',
  'gotestwaf',
  'struts-pwn',
  'zmap',
  'httpx - open-source',
];

/** Undo nested lookups so `${${lower:j}${::-n}d${env:X:-i}:` reads `${jndi:`. */
export function unwrapLookups(text: string): string {
  if (text.indexOf('${') < 0) return text;
  let cur = text;
  for (let i = 0; i < 4; i++) {
    const next = cur.replace(/\$\{(?!\s*jndi)(?:[a-z]*:){0,3}-?'?([a-z0-9.:]{0,3})'?\}/g, '$1');
    if (next === cur) break;
    cur = next;
  }
  return cur;
}
