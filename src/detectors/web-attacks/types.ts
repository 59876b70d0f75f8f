/**
 * Web-attack classes, named after the family a WAF would use. `traversal` is a `../` walk out
 * of the web root; `lfi` is a request for a local file that must never be served (`/etc/passwd`,
 * `.env`, `boot.ini`), with or without a walk; `rfi` is a parameter that points at a remote
 * resource to include; `ssrf` is one that points at an internal or cloud-metadata address.
 */
export type AttackClass = 'sqli' | 'xss' | 'traversal' | 'lfi' | 'rfi' | 'rce' | 'log4shell' | 'ssrf' | 'scanner';

/** Most severe first; breaks ties between equally certain findings. */
export const ATTACK_CLASSES: readonly AttackClass[] = [
  'log4shell',
  'sqli',
  'xss',
  'rce',
  'rfi',
  'ssrf',
  'lfi',
  'traversal',
  'scanner',
];

/** Where in the request the payload was found (only what an access log records). */
export type RequestPart = 'path' | 'query' | 'user_agent' | 'referrer';

/**
 * One signature: a regex on one normalized view of a request part. `strength` orders classes
 * when several match the same request (a command that reads `/etc/passwd` is `rce` first).
 */
export interface Signature {
  readonly id: string;
  readonly cls: AttackClass;
  readonly view: ViewName;
  readonly re: RegExp;
  /** 1 weak (needs context to be sure) .. 3 unambiguous. */
  readonly strength: 1 | 2 | 3;
  /** Request parts the signature applies to; all when absent. */
  readonly parts?: readonly RequestPart[];
  /**
   * Also run on "plain" values (only letters, digits and `/._-=&,:`), which skip every other
   * signature: file names and a few keyword-only patterns need no special character.
   */
  readonly plain?: boolean;
  /**
   * Literal prefilter: the signature runs only when its view contains one of these (lower
   * case). Keeps the per-request cost of clean traffic to a few `indexOf` calls.
   */
  readonly needles?: readonly string[];
  /** Runs only when the value's first word (command name, path stripped) is in this set. */
  readonly firstWord?: ReadonlySet<string>;
  /** Only on query parameter values (a URL that is the whole value, ...). */
  readonly valueOnly?: boolean;
}

/**
 * Normalized forms of a part. `text`: every encoding layer removed, lower case, whitespace runs
 * collapsed. `sql`: `text` with SQL comments removed. `cmd`: `text` with the shell's quoting
 * and empty-expansion tricks removed (`c''a\t`, `c$@at`, `pi``ng`).
 */
export type ViewName = 'text' | 'sql' | 'cmd';

export interface Finding {
  readonly cls: AttackClass;
  readonly signature: string;
  readonly part: RequestPart;
  /** The matched text, decoded, at most 120 characters. */
  readonly fragment: string;
  readonly strength: number;
}

export interface Classification {
  /** The most certain class. */
  readonly cls: AttackClass;
  /** Every class found, most certain first. */
  readonly classes: readonly AttackClass[];
  readonly fragment: string;
  readonly part: RequestPart;
  readonly signature: string;
}
