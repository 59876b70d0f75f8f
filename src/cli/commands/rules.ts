import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { SigmaEngine } from '../../detectors/sigma/engine.js';
import { eventTime, toFlatRecord } from '../../detectors/sigma/event-input.js';
import { loadSigmaRules } from '../../detectors/sigma/load.js';
import { loadConfiguredScenarios } from '../../pipeline/assemble.js';
import { loadRuntime, type Runtime, type RuntimeOptions } from '../context.js';
import { fail, printJson, printTable } from '../output.js';

/** One row of `leuko rules list`, whatever kind of rule it is. */
export interface RuleRow {
  readonly id: string;
  readonly title: string;
  /** `scenario/leaky`, `sigma`, `sigma-correlation/event_count`, ... */
  readonly kind: string;
  readonly attack: readonly string[];
  readonly severity: string;
  /** `active`, or why the rule does not run (unsupported, logsource not fed). */
  readonly status: string;
  readonly file: string;
}

/**
 * A source of rules for the listing. New rule kinds (fail2ban filters, ...) add a provider
 * to `RULE_PROVIDERS`; the command itself does not change.
 */
export interface RuleProvider {
  readonly name: string;
  list(runtime: Runtime): RuleRow[];
}

const scenarioProvider: RuleProvider = {
  name: 'scenarios',
  list(runtime) {
    return loadConfiguredScenarios(runtime.settings.scenarios).map((s) => ({
      id: s.name,
      title: s.description,
      kind: `scenario/${s.params.kind}`,
      attack: s.techniques,
      severity: s.severity,
      status: 'active',
      file: s.source.file,
    }));
  },
};

const sigmaProvider: RuleProvider = {
  name: 'sigma',
  list(runtime) {
    const cfg = runtime.config.sigma;
    if (!cfg || cfg.rules.length === 0) return [];
    const set = loadSigmaRules(
      cfg.rules.map((p) => path.resolve(runtime.baseDir, p)),
      { placeholders: cfg.placeholders },
    );
    const disabled = new Set(cfg.disable);
    const rows: RuleRow[] = set.rules.map((r) => ({
      id: r.id,
      title: r.title,
      kind: 'sigma',
      attack: r.techniques,
      severity: r.level,
      status: disabled.has(r.id) ? 'disabled' : r.route.fed ? `active: ${r.route.feeds}` : `not fed: ${r.route.reason}`,
      file: r.file,
    }));
    for (const c of set.correlations)
      rows.push({
        id: c.id,
        title: c.title,
        kind: `sigma-correlation/${c.type}`,
        attack: c.techniques,
        severity: c.level,
        status: disabled.has(c.id) ? 'disabled' : 'active',
        file: c.file,
      });
    for (const u of set.unsupported)
      rows.push({
        id: u.id ?? '-',
        title: u.title ?? path.basename(u.file),
        kind: 'sigma',
        attack: [],
        severity: '-',
        status: `unsupported: ${u.reason}`,
        file: u.file,
      });
    return rows;
  },
};

/** Rule providers in listing order. */
export const RULE_PROVIDERS: RuleProvider[] = [scenarioProvider, sigmaProvider];

function parsePlaceholders(list: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const item of list) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new Error(`--placeholder wants name=value, got ${JSON.stringify(item)}`);
    (out[item.slice(0, eq)] ??= []).push(item.slice(eq + 1));
  }
  return out;
}

async function testRules(
  paths: readonly string[],
  opts: { events: string; placeholder: string[]; strict?: boolean },
  global: RuntimeOptions,
): Promise<void> {
  let placeholders: Record<string, readonly string[]> = {};
  if (global.config !== undefined) {
    const runtime = loadRuntime(global);
    if (!runtime) return;
    placeholders = { ...runtime.config.sigma.placeholders };
  }
  try {
    placeholders = { ...placeholders, ...parsePlaceholders(opts.placeholder) };
  } catch (err) {
    fail((err as Error).message, 2);
    return;
  }
  let set: ReturnType<typeof loadSigmaRules>;
  try {
    set = loadSigmaRules(paths, { placeholders });
  } catch (err) {
    fail(`cannot read rules: ${(err as Error).message}`, 2);
    return;
  }
  for (const u of set.unsupported)
    process.stderr.write(`unsupported: ${u.file}${u.id ? ` (${u.id})` : ''}: ${u.reason}\n`);
  const unfed = new Map<string, number>();
  for (const r of set.rules)
    if (!r.route.fed) unfed.set(r.route.reason ?? '', (unfed.get(r.route.reason ?? '') ?? 0) + 1);
  for (const [reason, n] of unfed)
    process.stderr.write(
      `note: ${n} rule(s): ${reason}; they match raw field names here, and never run in leuko run\n`,
    );
  const engine = new SigmaEngine(set, { gateByLogsource: false });
  if (opts.events !== '-' && !existsSync(opts.events)) {
    fail(`cannot read events: ${opts.events} does not exist`, 2);
    return;
  }
  const input = opts.events === '-' ? process.stdin : createReadStream(opts.events, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let n = 0;
  let bad = 0;
  let out = '';
  for await (const line of lines) {
    if (line.trim() === '') continue;
    n++;
    let doc: unknown;
    try {
      doc = JSON.parse(line);
    } catch {
      doc = undefined;
    }
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
      bad++;
      out += `${JSON.stringify({ matched: [], error: 'not a JSON object' })}\n`;
      continue;
    }
    const rec = toFlatRecord(doc as Record<string, unknown>);
    const res = engine.evaluate(rec, eventTime(rec, n));
    const matched = res.rules.map((r) => r.id);
    for (const c of res.correlations) matched.push(c.def.id);
    out += `${JSON.stringify({ matched })}\n`;
    if (out.length > 65536) {
      process.stdout.write(out);
      out = '';
    }
  }
  process.stdout.write(out);
  process.stderr.write(
    `${n} events, ${set.rules.length} rules, ${set.correlations.length} correlations, ${set.unsupported.length} unsupported${bad ? `, ${bad} malformed lines` : ''}\n`,
  );
  if (opts.strict && set.unsupported.length > 0) process.exitCode = 1;
}

export function registerRules(program: Command): void {
  const rules = program.command('rules').description('list and test detection rules (scenarios and Sigma)');
  rules
    .command('list')
    .description('list every rule in force with its kind and ATT&CK techniques')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }, cmd: Command) => {
      const runtime = loadRuntime(cmd.optsWithGlobals() as RuntimeOptions);
      if (!runtime) return;
      const rows = RULE_PROVIDERS.flatMap((p) => p.list(runtime));
      if (opts.json) return printJson(rows);
      printTable(
        ['id', 'title', 'kind', 'ATT&CK', 'severity', 'status'],
        rows.map((r) => [r.id, r.title, r.kind, r.attack.join(' ') || '-', r.severity, r.status]),
      );
    });
  rules
    .command('test')
    .description('match Sigma rules against events; prints {"matched": [...]} per event line')
    .argument('<rule...>', 'Sigma rule files or directories')
    .requiredOption('--events <file>', 'events, one JSON object per line (ECS dotted or nested); - for stdin')
    .option(
      '--placeholder <name=value>',
      'value for a %name% placeholder (repeatable)',
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option('--strict', 'exit with status 1 when a rule cannot be compiled')
    .action(
      async (paths: string[], opts: { events: string; placeholder: string[]; strict?: boolean }, cmd: Command) => {
        await testRules(paths, opts, cmd.optsWithGlobals() as RuntimeOptions);
      },
    );
}
