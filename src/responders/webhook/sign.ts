import { createHmac } from 'node:crypto';

/** Header carrying the body's HMAC, GitHub style, so existing verifiers can be reused. */
export const SIGNATURE_HEADER = 'x-leuko-signature-256';

/**
 * `sha256=<hex>` over the exact bytes sent. Receivers must compare in constant time and
 * should reject a `sent_at` too far in the past (the timestamp is inside the signed body).
 */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}
