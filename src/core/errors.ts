/** Stable error codes: callers branch on `code`, never on message text. */
export type LeukoErrorCode =
  | 'CONFIG_INVALID'
  | 'CONFIG_NOT_FOUND'
  | 'SOURCE_FAILED'
  | 'STORE_FAILED'
  | 'AUDIT_BROKEN'
  | 'RULE_INVALID'
  | 'UNKNOWN_PLUGIN'
  | 'USAGE'
  | 'PLATFORM_FAILED';

/** The one error class for failures; expected outcomes are union values, not throws. */
export class LeukoError extends Error {
  readonly code: LeukoErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: LeukoErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LeukoError';
    this.code = code;
    this.details = options.details ?? {};
  }
}
