import path from 'node:path';
import type { ProtectConfig } from '../config/protect.js';
import { globBase, globToRegExp, hasGlob } from './glob.js';

/** One protected root: a file or directory tree, or the files a glob names. */
export interface ProtectedRoot {
  /** The watched file or directory (a glob's base directory). */
  readonly root: string;
  /** Restore on drift at once (paths), or only when a service's restarts keep failing (service config). */
  readonly role: 'path' | 'config';
  /** Only paths matching this (globs); undefined: everything under root. */
  readonly only?: RegExp;
  readonly exclude: readonly RegExp[];
  /** For service config: the service it belongs to. */
  readonly service?: string;
}

export interface DesiredState {
  readonly roots: readonly ProtectedRoot[];
  /** The root a path falls under and is not excluded from, or undefined. */
  rootOf(p: string): ProtectedRoot | undefined;
  /** Whether `p` is tracked (under a root, matching its glob, not excluded); directories on the way count. */
  tracks(p: string, root: ProtectedRoot, isDir: boolean): boolean;
}

/** Names Leuko writes itself while restoring; never tracked (a kill -9 can leave one behind). */
export const TEMP_PREFIX = '.leuko-restore-';

function within(p: string, root: string): boolean {
  return p === root || p.startsWith(root.endsWith('/') ? root : `${root}/`);
}

/**
 * The desired state from the `protect:` section: which paths are known-good and how each is
 * enforced. Service config listed under `paths` too is restored at once (paths win).
 */
export function desiredState(config: ProtectConfig): DesiredState {
  const roots: ProtectedRoot[] = [];
  for (const entry of config.paths) {
    const p = typeof entry === 'string' ? entry : entry.path;
    const exclude = (typeof entry === 'string' ? [] : entry.exclude).map((g) =>
      globToRegExp(g.startsWith('/') ? g : `${hasGlob(p) ? globBase(p) : p}/${g}`),
    );
    // An exclusion without a slash (`*.log`) matches the base name anywhere below.
    for (const g of typeof entry === 'string' ? [] : entry.exclude)
      if (!g.includes('/')) exclude.push(globToRegExp(`**/${g}`));
    if (hasGlob(p)) roots.push({ root: path.resolve(globBase(p)), role: 'path', only: globToRegExp(p), exclude });
    else roots.push({ root: path.resolve(p), role: 'path', exclude });
  }
  for (const s of config.services) {
    for (const c of s.config) {
      if (roots.some((r) => r.role === 'path' && within(c, r.root))) continue;
      roots.push({ root: path.resolve(c), role: 'config', exclude: [], service: s.name });
    }
  }
  // Most specific first, so a nested root's rules apply to its paths.
  roots.sort((a, b) => b.root.length - a.root.length);
  const tracks = (p: string, root: ProtectedRoot, isDir: boolean) => {
    if (!within(p, root.root)) return false;
    if (path.basename(p).startsWith(TEMP_PREFIX)) return false;
    if (root.exclude.some((re) => re.test(p))) return false;
    if (root.only && p !== root.root) {
      // Directories between a glob's base and its files are walked, not tracked as entries.
      if (isDir) return false;
      return root.only.test(p);
    }
    return true;
  };
  return {
    roots,
    rootOf(p) {
      for (const r of roots) if (within(p, r.root)) return r;
      return undefined;
    },
    tracks,
  };
}
