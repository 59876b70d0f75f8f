import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LeukoError } from '../core/errors.js';
import { type FleetKeyPair, fleetKeyFromPem, fleetKeyToPem, generateFleetKey } from './envelope.js';

/**
 * The agent's Ed25519 key: read from `file`, or created there (mode 0600) on first start so an
 * agent can be enrolled with the public key it prints. The private key never leaves the host.
 */
export function loadOrCreateFleetKey(file: string): { key: FleetKeyPair; created: boolean } {
  if (existsSync(file)) {
    try {
      return { key: fleetKeyFromPem(readFileSync(file, 'utf8')), created: false };
    } catch (cause) {
      throw new LeukoError('CONFIG_INVALID', `fleet key ${file} is not an Ed25519 private key (PEM)`, { cause });
    }
  }
  const key = generateFleetKey();
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, fleetKeyToPem(key), { mode: 0o600, flag: 'wx' });
  return { key, created: true };
}

/** Read an existing key (the hive's): a missing key is a configuration error, not a new key. */
export function loadFleetKey(file: string): FleetKeyPair {
  try {
    return fleetKeyFromPem(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new LeukoError(
      'CONFIG_INVALID',
      `cannot read the fleet key ${file}: create it with \`leuko fleet keygen --out ${file}\``,
      {
        cause,
      },
    );
  }
}
