import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../core/clock.js';
import { createParser } from '../index.js';

const NOW = Date.parse('2024-06-15T12:00:00Z');
const parse = (line: string) => createParser('auto', { clock: createManualClock(NOW) })(line)?.event;

describe("SQL Server's ERRORLOG", () => {
  it('reads failed and successful logins, the client the bracket that ends the line', () => {
    expect(
      parse(
        "2024-06-14 09:00:00.12 Logon       Login failed for user 'sa'. Reason: Password did not match that for the login provided. [CLIENT: 192.0.2.90]",
      ),
    ).toMatchObject({
      '@timestamp': expect.stringMatching(/^2024-06-1[45]T/),
      'event.dataset': 'mssql',
      'event.category': ['database', 'authentication'],
      'event.outcome': 'failure',
      'source.ip': '192.0.2.90',
      'user.name': 'sa',
    });
    expect(
      parse(
        "2024-06-14 09:00:00.12 Logon       Login succeeded for user 'app'. Connection made using SQL Server authentication. [CLIENT: 192.0.2.91]",
      ),
    ).toMatchObject({ 'event.outcome': 'success', 'user.name': 'app' });
  });

  it('keeps the address SQL Server wrote when the user name plants another', () => {
    expect(
      parse(
        "2024-06-14 09:00:00.12 Logon       Login failed for user 'x'. Reason: y [CLIENT: 10.66.66.66]'. Reason: Could not find a login matching the name provided. [CLIENT: 192.0.2.92]",
      ),
    ).toMatchObject({ 'source.ip': '192.0.2.92' });
  });

  it('reads no address from a local client or another source column', () => {
    expect(
      parse(
        "2024-06-14 09:00:00.12 Logon       Login failed for user 'sa'. Reason: Password did not match. [CLIENT: <local machine>]",
      )?.['source.ip'],
    ).toBe(undefined);
    expect(
      parse(
        "2024-06-14 09:00:00.12 Wrong data received: Logon       Login failed for user 'x'. Reason: y [CLIENT: 192.0.2.93]",
      )?.['event.outcome'],
    ).toBe(undefined);
  });
});
