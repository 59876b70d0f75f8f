/** Keys whose values are secrets or carry them (webhook URLs embed their token). */
const SECRET_KEY =
  /(secret|token|password|passwd|api_?key|private|credential|authorization|headers|^key$|^url$|^cert$)/i;

/**
 * A copy of the config safe to show: values under secret-looking keys become `[redacted]`.
 * Errs on the side of hiding (a health-check URL is hidden too): the config file itself is the
 * place to read the full thing, with file permissions guarding it.
 */
export function redactConfig(value: unknown, key = ''): unknown {
  if (key && SECRET_KEY.test(key) && value !== undefined && value !== null) return '[redacted]';
  if (Array.isArray(value)) return value.map((v) => redactConfig(v));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactConfig(v, k)]));
  return value;
}
