import type { Command } from 'commander';
import { fail, printJson } from '../output.js';
import { printCredentials, withCredentials } from './tokens.js';

/**
 * `leuko bouncers add|list|delete`, named like CrowdSec's `cscli bouncers`: API keys for
 * CrowdSec bouncers, which pull Leuko's decisions from `/v1/decisions/stream`.
 */
export function registerBouncers(program: Command): void {
  const bouncers = program.command('bouncers').description('API keys for CrowdSec bouncers (X-Api-Key)');

  bouncers
    .command('add')
    .description('create a bouncer key; printed once, only its hash is stored')
    .argument('<name>', 'bouncer name, e.g. firewall-1')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { json?: boolean }, cmd: Command) => {
      if (!/^[A-Za-z0-9._@-]{1,64}$/.test(name))
        return fail('a bouncer name takes 1 to 64 letters, digits, dots, @, underscores or hyphens', 2);
      let made: { secret: string; credential: { id: string } } | undefined;
      try {
        made = await withCredentials(cmd, (repo) => repo.create('bouncer', name));
      } catch (err) {
        return fail(err instanceof Error ? err.message : String(err));
      }
      if (!made) return;
      if (opts.json) return printJson({ ...made.credential, api_key: made.secret });
      process.stdout.write(
        `API key for '${name}':\n\n   ${made.secret}\n\nPlease keep this key since you will not be able to retrieve it!\n` +
          'Set it as api_key in the bouncer config, with api_url pointing at Leuko (e.g. http://127.0.0.1:8470/).\n',
      );
    });

  bouncers
    .command('list', { isDefault: true })
    .description('bouncer keys, with last pull time')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const list = await withCredentials(cmd, (repo) => repo.list('bouncers'));
      if (list) printCredentials(list, opts.json);
    });

  bouncers
    .command('delete')
    .description('revoke a bouncer key by name or id')
    .argument('<name>')
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const done = await withCredentials(cmd, async (repo) => (await repo.revoke(name, 'bouncers')) ?? null);
      if (done === undefined) return;
      if (done === null) return fail(`no bouncer ${name}`);
      process.stdout.write(`bouncer ${done.name} deleted\n`);
    });
}
