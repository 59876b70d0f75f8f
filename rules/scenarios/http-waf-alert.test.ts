import { describe, expect, it } from 'vitest';
import { fired, parsed, run } from './test-kit.js';

const nginx = (ip: string, id: string, severity: string, msg: string, uri = '/') =>
  `2021/12/09 14:43:51 [info] 2410567#2410567: *525652 ModSecurity: Warning. Matched "Operator \`Ge' with parameter \`5' against variable \`TX:ANOMALY_SCORE' (Value: \`8' ) [file "/usr/share/modsecurity-crs/rules/REQUEST-949-BLOCKING-EVALUATION.conf"] [line "79"] [id "${id}"] [rev ""] [msg "${msg}"] [data ""] [severity "${severity}"] [ver "OWASP_CRS/3.2.0"] [maturity "0"] [accuracy "0"] [tag "application-multi"] [hostname "10.0.4.41"] [uri "${uri}"] [unique_id "163906103110.584005"] [ref ""], client: ${ip}, server: _, request: "GET ${uri} HTTP/1.1", host: "34.238.111.71"`;
const apache = (ip: string) =>
  `[Thu Dec 09 14:43:51.123456 2021] [:error] [pid 4242] [client ${ip}:50212] [client ${ip}] ModSecurity: Access denied with code 403 (phase 2). Matched phrase "sqlmap" at REQUEST_HEADERS:User-Agent. [file "/usr/share/modsecurity-crs/rules/REQUEST-913-SCANNER-DETECTION.conf"] [line "60"] [id "913100"] [msg "Found User-Agent associated with security scanner"] [severity "CRITICAL"] [hostname "example.org"] [uri "/"] [unique_id "YbIsN38AAQEAAA"]`;

describe('leuko/http-waf-alert', () => {
  it('fires on a critical CRS match in the nginx error log and on an Apache refusal', () => {
    const d = run(
      'leuko/http-waf-alert',
      parsed([nginx('143.198.55.184', '949110', '2', 'Inbound Anomaly Score Exceeded (Total Score: 8)', '/.env')]),
    );
    expect(d.map((x) => x.entity.value)).toEqual(['143.198.55.184']);
    expect(d[0]!.explanation).toContain('949110');
    expect(fired('leuko/http-waf-alert', parsed([apache('203.0.113.77')]))).toEqual(['203.0.113.77']);
  });
  it('reads older ModSecurity 2.x records that write the rule tags before the verdict', () => {
    const tagsFirst = (ip: string, uri: string) =>
      `[Sat Dec 28 09:18:05 2013] [error] [client ${ip}] ModSecurity: [file "/etc/httpd/modsecurity.d/10_asl_rules.conf"] [line "635"] [id "340069"] [rev "4"] [msg "Web vulnerability scanner"] [severity "CRITICAL"] Access denied with code 403 (phase 2). Pattern match "nessus" at REQUEST_URI. [hostname "example.org"] [uri "${uri}"] [unique_id "4Q6RdsBR"]`;
    expect(fired('leuko/http-waf-alert', parsed([tagsFirst('203.0.113.78', '/nessus_is_probing_you_')]))).toEqual([
      '203.0.113.78',
    ]);
    // The request's URI comes after ModSecurity's own fields: an address in it moves nothing.
    expect(
      fired('leuko/http-waf-alert', parsed([tagsFirst('203.0.113.79', '/x [client 198.51.100.9] [severity \\"2\\"]')])),
    ).toEqual(['203.0.113.79']);
  });
  it("fires on Coraza's critical matches in Caddy's log", () => {
    const coraza = (ip: string, severity: string) =>
      JSON.stringify({
        level: 'warn',
        ts: 1700758468.38,
        logger: 'http.handlers.waf',
        msg: `[client "${ip}"] Coraza: Warning. Inbound Anomaly Score Exceeded (Total Score: 10) [file "/ruleset/REQUEST-949-BLOCKING-EVALUATION.conf"] [line "1"] [id "949110"] [msg "Inbound Anomaly Score Exceeded (Total Score: 10)"] [severity "${severity}"] [uri "/?id=1%27"]`,
      });
    expect(fired('leuko/http-waf-alert', parsed([coraza('203.0.113.97', 'emergency')]))).toEqual(['203.0.113.97']);
    expect(fired('leuko/http-waf-alert', parsed([coraza('203.0.113.98', 'notice')]))).toEqual([]);
  });
  it('stays quiet for notice-level matches', () => {
    expect(
      fired(
        'leuko/http-waf-alert',
        parsed([nginx('198.51.100.3', '920350', '4', 'Host header is a numeric IP address')]),
      ),
    ).toEqual([]);
  });
  it('reads the rule from ModSecurity fields, not from the request text quoted before them', () => {
    const planted = nginx('198.51.100.4', '920350', '4', 'Host header is a numeric IP address', '/x').replace(
      "(Value: `8' )",
      // As ModSecurity writes a request's quotes: escaped.
      '(Value: ` [file \\"x\\"] [id \\"949110\\"] [severity \\"2\\"]\' )',
    );
    expect(fired('leuko/http-waf-alert', parsed([planted]))).toEqual([]);
    // ModSecurity escapes quotes in the data it quotes: a severity planted there stays data.
    const escaped = nginx(
      '198.51.100.5',
      '942100',
      '2',
      'SQL Injection Attack Detected via libinjection',
      '/q',
    ).replace('[data ""]', '[data "Matched Data: \\" [severity \\"5\\"] found"]');
    expect(fired('leuko/http-waf-alert', parsed([escaped]))).toEqual(['198.51.100.5']);
  });
});
