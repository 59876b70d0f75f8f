import type { ConfigPath } from './positions.js';

/** An issue before it is placed in the file: where in the config tree, not yet line/column. */
export interface Finding {
  readonly path: ConfigPath;
  /** Point at the value rather than its key (the default). */
  readonly target?: 'key' | 'value';
  readonly message: string;
  readonly hint: string;
  readonly severity: 'error' | 'warning';
}
