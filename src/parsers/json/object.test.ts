import { describe, expect, it } from 'vitest';
import { hasDuplicateKey, parseJsonObject } from './object.js';

describe('parseJsonObject', () => {
  it('drops an object that names a key twice, the way a line templated without escaping does', () => {
    expect(parseJsonObject('{"remote_addr":"192.0.2.1","ua":"x","remote_addr":"203.0.113.9"}')).toBeUndefined();
    expect(parseJsonObject('{"a":{"b":1,"b":2}}')).toBeUndefined();
    // The same key written with an escape is the same key.
    expect(hasDuplicateKey('{"ab":1,"a\\u0062":2}')).toBe(true);
  });

  it('keeps equal keys in different objects and quotes escaped inside strings', () => {
    expect(parseJsonObject('{"ip":"192.0.2.1","req":{"ip":"x"},"list":[{"k":1},{"k":2}]}')).toEqual({
      ip: '192.0.2.1',
      req: { ip: 'x' },
      list: [{ k: 1 }, { k: 2 }],
    });
    expect(parseJsonObject('{"ua":"x\\",\\"ip\\":\\"203.0.113.9","ip":"192.0.2.1"}')?.ip).toBe('192.0.2.1');
    expect(hasDuplicateKey('{"a":"\\\\","a2":["a","a"]}')).toBe(false);
  });

  it('is undefined for other JSON and for text that is not JSON', () => {
    expect(parseJsonObject('[1]')).toBeUndefined();
    expect(parseJsonObject('null')).toBeUndefined();
    expect(parseJsonObject('{"a":"\\x22"}')).toBeUndefined();
  });
});
