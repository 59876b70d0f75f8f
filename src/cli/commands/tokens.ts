import type { Command } from 'commander';
import {
  type Credential,
  type CredentialsRepo,
  createCredentialsRepo,
  TOKEN_ROLES,
  type TokenRole,
} from '../../api/credentials.js';
import { systemClock } from '../../core/clock.js';
import { createIdGenerator } from '../../core/ids.js';
import { loadRuntime, type RuntimeOptions } from '../context.js';
import { openRuntimeApiBacking } from '../runtime-store.js';
import { fail, iso, printJson, printTable } from '../output.js';

/** Run `work` on the credentials table of the configured store (SQLite, or a hive's PostgreSQL). */
export async function withCredentials<T>(
  cmd: Command,
  work: (repo: CredentialsRepo) => Promise<T>,
): Promise<T | undefined> {
  const runtime = loadRuntime(cmd.optsWithGlobals() as RuntimeOptions);
  if (!runtime) return undefined;
  const backing = openRuntimeApiBacking(runtime);
  try {
    await backing.ready();
    return await work(createCredentialsRepo(backing.repos.credentials, systemClock, createIdGenerator()));
  } finally {
    await backing.close();
  }
}

export function printCredentials(list: readonly Credential[], json: boolean | undefined): void {
  if (json) {
    printJson(list);
    return;
  }
  printTable(
    ['id', 'name', 'role', 'created', 'last used', 'revoked'],
    list.map((c) => [c.id, c.name, c.role, iso(c.createdAt), iso(c.lastUsedAt ?? 0), iso(c.revokedAt ?? 0)]),
  );
}

/** `leuko tokens create|list|revoke`: bearer tokens for the HTTP API and the dashboard. */
export function registerTokens(program: Command): void {
  const tokens = program.command('tokens').description('API tokens for the HTTP API and the dashboard');

  tokens
    .command('create')
    .description('create a token; its secret is printed once and only its hash is stored')
    .requiredOption('--role <role>', `what it may do: ${TOKEN_ROLES.join(', ')}`)
    .option('--name <name>', 'who or what uses it (shown in the audit log as token:NAME)')
    .option('--json', 'print JSON')
    .action(async (opts: { role: string; name?: string; json?: boolean }, cmd: Command) => {
      if (!(TOKEN_ROLES as readonly string[]).includes(opts.role))
        return fail(`unknown role ${JSON.stringify(opts.role)}: use ${TOKEN_ROLES.join(', ')}`, 2);
      const name = opts.name ?? opts.role;
      if (!/^[A-Za-z0-9._@-]{1,64}$/.test(name))
        return fail('--name takes 1 to 64 letters, digits, dots, @, underscores or hyphens', 2);
      const made = await withCredentials(cmd, (repo) => repo.create(opts.role as TokenRole, name));
      if (!made) return;
      if (opts.json) return printJson({ ...made.credential, token: made.secret });
      process.stdout.write(
        `${made.credential.id} (${made.credential.role}, ${name})\n${made.secret}\n` +
          'Keep this token: it is not shown again. Send it as "Authorization: Bearer TOKEN".\n',
      );
    });

  tokens
    .command('list', { isDefault: true })
    .description('tokens, with role and last use (never their secrets)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const list = await withCredentials(cmd, (repo) => repo.list('tokens'));
      if (list) printCredentials(list, opts.json);
    });

  tokens
    .command('revoke')
    .description('revoke a token by id or name; it stops working at once')
    .argument('<id>', 'token id or name')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const done = await withCredentials(cmd, async (repo) => (await repo.revoke(id, 'tokens')) ?? null);
      if (done === undefined) return;
      if (done === null) return fail(`no live token ${id}`);
      process.stdout.write(`${done.id} (${done.name}) revoked\n`);
    });
}
