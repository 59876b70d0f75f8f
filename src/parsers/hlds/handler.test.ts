import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../core/clock.js';
import { createParser } from '../index.js';

const NOW = Date.parse('2024-06-15T12:00:00Z');
const parse = (line: string) => createParser('auto', { clock: createManualClock(NOW) })(line)?.event;

describe('Half-Life / Source dedicated server rcon', () => {
  it('reads a refused rcon password, the address the quoted end of the line', () => {
    expect(
      parse('L 06/14/2024 - 09:00:00: Bad Rcon: "rcon 1146003691 "guess" sv_contact "x"" from "192.0.2.80:57370"'),
    ).toMatchObject({
      '@timestamp': expect.stringMatching(/^2024-06-1[45]T/),
      'event.dataset': 'hlds',
      'event.category': ['authentication'],
      'event.action': 'rcon_auth_failure',
      'event.outcome': 'failure',
      'source.ip': '192.0.2.80',
      'source.port': 57370,
    });
    expect(
      parse('L 06/14/2024 - 09:00:00: Bad Rcon: "rcon 1 "x" from "10.66.66.66:1"" from "192.0.2.81:57370"'),
    ).toMatchObject({ 'source.ip': '192.0.2.81' });
  });

  it("reads the Source engine's records and accepted commands", () => {
    expect(parse('L 06/14/2024 - 09:00:00: rcon from "192.0.2.82:27015": Bad Password')).toMatchObject({
      'event.outcome': 'failure',
      'source.ip': '192.0.2.82',
    });
    expect(parse('L 06/14/2024 - 09:00:00: rcon from "192.0.2.82:27015": command "status"')).toMatchObject({
      'event.outcome': 'success',
    });
    expect(parse('L 06/14/2024 - 09:00:00: Rcon: "rcon 1 "secret" status" from "192.0.2.83:1"')).toMatchObject({
      'event.action': 'rcon_command',
      'event.outcome': 'success',
    });
  });

  it('leaves game events alone', () => {
    const e = parse('L 06/14/2024 - 09:00:00: "Player<2><STEAM_0:1:1><CT>" say "from "192.0.2.84:1""');
    expect(e?.['event.dataset']).toBe('hlds');
    expect(e?.['source.ip']).toBe(undefined);
  });
});
