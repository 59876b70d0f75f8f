import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { LeukoError } from '../../core/errors.js';
import { PIPELINE_DEFAULTS, stripSyslogHeader } from '../../detectors/templates/defaults.js';
import { type MinerSettings, TemplateMiner } from '../../detectors/templates/miner.js';
import { readMinerSettings } from '../../detectors/templates/settings-file.js';
import { registerTemplateStoreCommands } from './templates-store.js';

/**
 * `leuko templates --jsonl FILE [--settings S.json]`: Drain templates for a log file, one
 * `{"template_id": ..., "template": "..."}` per input line, in order. Without `--settings`,
 * the daemon's defaults for an unconfigured source (syslog header removed, built-in masks).
 *
 * By default the file is mined first and each line then printed with its cluster's FINAL
 * template, like logparser's output (a line seen before its template generalized still shows
 * the general form). `--online` prints each line as it is mined, with the template as it was
 * then. Lines are read as ISO-8859-1, as logparser reads them, so grouping matches the
 * reference byte for byte; templates are printed back as UTF-8.
 */
export function registerTemplates(program: Command): void {
  const cmd = program
    .command('templates')
    .description('mine log templates with Drain (one JSON line per input line), or manage the learned ones')
    .option('--jsonl <file>', 'log file to mine, or - for stdin')
    .option('--settings <file>', 'JSON with log_format, regex, st, depth (an entry of drain_benchmark_settings.json)')
    .option('--dataset <name>', 'with --settings: use this entry of a whole drain_benchmark_settings.json')
    .option('--online', 'print each line as it is mined (template as it was then)')
    .option('--encoding <enc>', 'input encoding: latin1 (as logparser reads) or utf8', 'latin1')
    .action(
      async (opts: { jsonl?: string; settings?: string; dataset?: string; online?: boolean; encoding: string }) => {
        if (opts.jsonl === undefined) {
          cmd.help({ error: true });
          return;
        }
        if (opts.jsonl !== '-' && !existsSync(opts.jsonl)) {
          throw new LeukoError('USAGE', `cannot read ${opts.jsonl}: no such file`);
        }
        if (opts.encoding !== 'latin1' && opts.encoding !== 'utf8') {
          throw new LeukoError('USAGE', `--encoding must be latin1 or utf8, got ${opts.encoding}`);
        }
        // Without settings: what the daemon does for a source nobody configured (syslog header
        // removed, built-in masks), so the ids here match what `leuko run` would learn.
        let settings: MinerSettings = PIPELINE_DEFAULTS;
        let miner: TemplateMiner;
        try {
          if (opts.settings !== undefined) settings = readMinerSettings(opts.settings, opts.dataset);
          miner = new TemplateMiner(settings);
        } catch (e) {
          throw new LeukoError('CONFIG_INVALID', (e as Error).message);
        }
        const prepare = opts.settings === undefined ? stripSyslogHeader : (line: string) => line;
        await mineFile(miner, prepare, opts.jsonl, opts.encoding, opts.online === true);
      },
    );
  registerTemplateStoreCommands(cmd);
}

async function mineFile(
  miner: TemplateMiner,
  prepare: (line: string) => string,
  file: string,
  encoding: 'latin1' | 'utf8',
  online: boolean,
) {
  const input =
    file === '-' ? process.stdin.setEncoding(encoding) : createReadStream(file, { highWaterMark: 1 << 16, encoding });
  const rl = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  const text = (t: string): string => (encoding === 'latin1' ? Buffer.from(t, 'latin1').toString('utf8') : t);
  const out = createWriter();
  if (online) {
    for await (const line of rl) {
      const m = miner.add(prepare(line));
      await out.write(`${JSON.stringify({ template_id: `E${m.id}`, template: text(m.template) })}\n`);
    }
    await out.end();
    return;
  }
  let ids = new Int32Array(1 << 14);
  let n = 0;
  for await (const line of rl) {
    if (n === ids.length) {
      const bigger = new Int32Array(ids.length * 2);
      bigger.set(ids);
      ids = bigger;
    }
    ids[n++] = miner.add(prepare(line)).id;
  }
  // Clusters that ended with the same template text are one template (logparser's EventId is
  // the hash of that text); the oldest one's id names it.
  const canonical = new Map<string, number>();
  const lineOut = new Map<number, string>();
  const clusters = [...miner.drain.clusters()].sort((a, b) => a.id - b.id);
  for (const c of clusters) {
    const t = c.tokens.join(' ');
    const id = canonical.get(t) ?? c.id;
    canonical.set(t, id);
    lineOut.set(c.id, `${JSON.stringify({ template_id: `E${id}`, template: text(t) })}\n`);
  }
  for (let i = 0; i < n; i++) await out.write(lineOut.get(ids[i] as number) as string);
  await out.end();
}

/** Buffered stdout honouring back-pressure. */
function createWriter() {
  let buf = '';
  const flush = async () => {
    if (buf === '') return;
    const ok = process.stdout.write(buf);
    buf = '';
    if (!ok) await new Promise((r) => process.stdout.once('drain', r));
  };
  return {
    async write(s: string) {
      buf += s;
      if (buf.length > 1 << 16) await flush();
    },
    end: flush,
  };
}
