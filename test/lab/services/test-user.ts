import { randomBytes } from 'node:crypto';
import { chownSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runOk } from '../proc.js';
import type { Lab } from '../topology.js';

export interface TestUser {
  readonly name: string;
  /** Known password (sshd PasswordAuthentication works for it). */
  readonly password: string;
  /** Private key of the legitimate client; its public half is in the user's authorized_keys. */
  readonly clientKey: string;
  /** sshd's `AuthorizedKeysFile` pattern (`%u` expands to the user name). */
  readonly authorizedKeysPattern: string;
}

/**
 * A throwaway local account for the legitimate client's ssh logins. Accounts live in the
 * host's /etc/passwd (namespaces share the filesystem), so the lab registers it for removal.
 */
export async function createTestUser(lab: Lab): Promise<TestUser> {
  const name = `lk${lab.id}`;
  const password = `Lab-${randomBytes(6).toString('hex')}`;
  const home = path.join(lab.dir, 'home', name);
  mkdirSync(path.dirname(home), { recursive: true, mode: 0o755 });
  lab.registerUser(name);
  await runOk(['useradd', '--no-create-home', '--home-dir', home, '--shell', '/bin/sh', name], { timeoutMs: 10_000 });
  await runOk(['chpasswd'], { timeoutMs: 10_000, input: `${name}:${password}\n` });
  mkdirSync(home, { mode: 0o755 });
  const uid = Number((await runOk(['id', '-u', name], { timeoutMs: 5000 })).stdout.trim());
  const gid = Number((await runOk(['id', '-g', name], { timeoutMs: 5000 })).stdout.trim());
  chownSync(home, uid, gid);

  const keys = path.join(lab.dir, 'client');
  mkdirSync(keys, { recursive: true, mode: 0o700 });
  const clientKey = path.join(keys, 'id_ed25519');
  await runOk(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'lab-client', '-f', clientKey], {
    timeoutMs: 10_000,
  });
  const akDir = path.join(lab.dir, 'sshd', 'authorized_keys');
  mkdirSync(akDir, { recursive: true, mode: 0o755 });
  writeFileSync(path.join(akDir, name), readFileSync(`${clientKey}.pub`), { mode: 0o644 });
  return { name, password, clientKey, authorizedKeysPattern: path.join(akDir, '%u') };
}
