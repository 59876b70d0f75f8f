/**
 * Bundle the compiled CLI (dist/cli/main.js and the command modules it imports lazily) into a
 * few files in dist/cli, replacing the entry in place.
 *
 * Why: a `leuko replay` or `leuko parse` starts by loading ~400 of our modules and ~200 files
 * of zod, yaml and commander; Node resolves, reads and compiles each one, which cost about a
 * quarter of a second of every start. One module per command (esbuild code splitting keeps the
 * command table's lazy imports lazy) loads in a fraction of that. Packages with native parts or
 * their own lazy loading (SQLite, PostgreSQL, fastify, NATS, the file watcher) stay external
 * and load from node_modules as before; everything else under dist/ is unchanged, so tests that
 * import modules directly still can.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
// Pure-JavaScript packages every command loads at start: bundled. All others stay external.
const BUNDLED = new Set(['zod', 'yaml', 'commander', 'picocolors', 'ipaddr.js']);
const external = Object.keys(pkg.dependencies ?? {}).filter((name) => !BUNDLED.has(name));

const cliDir = path.join(root, 'dist/cli');
const entry = path.join(cliDir, 'main.js');
const BANNER =
  "import { createRequire as __leukoRequire } from 'node:module'; const require = __leukoRequire(import.meta.url);";
if (readFileSync(entry, 'utf8').includes('__leukoRequire')) {
  // Bundling a bundle would point at the chunks deleted below: tsc must emit main.js first.
  console.error('dist/cli/main.js is already bundled: run `tsc -p tsconfig.build.json` before this script');
  process.exit(1);
}
// Chunks of an earlier build (their names carry content hashes, so they would pile up).
for (const name of readdirSync(cliDir)) if (/^bundle-.*\.js$/.test(name)) rmSync(path.join(cliDir, name));

// The shipped scenarios' validated specs, for this build only (see src/detectors/scenarios/spec-cache.ts).
const buildId = randomBytes(8).toString('hex');
const scenarios = await import(path.join(root, 'dist/detectors/scenarios/load.js'));
const { builtinScenarioDir } = await import(path.join(root, 'dist/detectors/scenarios/paths.js'));
const { SPEC_CACHE_PATH } = await import(path.join(root, 'dist/detectors/scenarios/spec-cache.js'));
writeFileSync(
  path.join(root, SPEC_CACHE_PATH),
  JSON.stringify({ buildId, files: scenarios.specCacheEntries(builtinScenarioDir()) }),
);

await build({
  entryPoints: [entry],
  outdir: cliDir,
  allowOverwrite: true,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Chunks sit beside main.js, at the depth of every dist/<area>/ module, so the few paths a
  // module computes from import.meta.url (package.json, dist/web, rules/) resolve the same.
  chunkNames: 'bundle-[name]-[hash]',
  external: [...external, ...external.map((name) => `${name}/*`)],
  // CommonJS packages in the bundle require() Node's built-ins; ES modules have no `require`.
  banner: { js: BANNER },
  define: { __LEUKO_BUILD_ID__: JSON.stringify(buildId) },
  logLevel: 'warning',
});
