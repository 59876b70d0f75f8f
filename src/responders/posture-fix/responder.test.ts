import { describe, expect, it } from 'vitest';
import { missingPrivsepDir } from './responder.js';

describe('posture-fix: sshd -t on a host where sshd is not running', () => {
  it('finds the directory sshd asks for, and only a plain absolute one', () => {
    expect(missingPrivsepDir('Missing privilege separation directory: /run/sshd\n')).toBe('/run/sshd');
    expect(missingPrivsepDir('\nMissing privilege separation directory: /var/empty/sshd')).toBe('/var/empty/sshd');
    expect(missingPrivsepDir('Missing privilege separation directory: /run/../etc')).toBeUndefined();
    expect(missingPrivsepDir('Missing privilege separation directory: run/sshd')).toBeUndefined();
    expect(missingPrivsepDir('/tmp/x line 3: Bad configuration option: PermitRootLogn')).toBeUndefined();
  });
});
