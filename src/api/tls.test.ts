import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApiServer } from './server.js';
import { apiFixture } from './test-fixture.case.js';

const OPENSSL = '/usr/bin/openssl';

/** `api.tls`: the same API over HTTPS with the configured certificate and key. */
describe.skipIf(!existsSync(OPENSSL))('API over TLS', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'leuko-tls-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves HTTPS with the given certificate', async () => {
    const cert = path.join(dir, 'cert.pem');
    const key = path.join(dir, 'key.pem');
    execFileSync(
      OPENSSL,
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    const f = await apiFixture();
    const app = await buildApiServer(f.deps, { https: { cert: readFileSync(cert), key: readFileSync(key) } });
    try {
      await app.listen({ host: '127.0.0.1', port: 0 });
      const port = (app.server.address() as { port: number }).port;
      const body = await new Promise<{ status: number; text: string; fingerprint: string }>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port,
            path: '/api/v1/status',
            ca: readFileSync(cert),
            servername: '127.0.0.1',
            checkServerIdentity: () => undefined,
            headers: { authorization: `Bearer ${f.tokens.viewer}` },
          },
          (res) => {
            const fingerprint = (
              res.socket as unknown as { getPeerCertificate(): { fingerprint256: string } }
            ).getPeerCertificate().fingerprint256;
            let text = '';
            res.on('data', (c) => (text += c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, text, fingerprint }));
          },
        );
        req.on('error', reject);
        req.end();
      });
      expect(body.status).toBe(200);
      expect(JSON.parse(body.text)).toMatchObject({ host: 'web1' });
      const expected = execFileSync(OPENSSL, ['x509', '-in', cert, '-noout', '-fingerprint', '-sha256'], {
        encoding: 'utf8',
      });
      expect(expected.trim().split('=')[1]).toBe(body.fingerprint);
    } finally {
      await app.close();
      await f.close();
    }
  });
});
