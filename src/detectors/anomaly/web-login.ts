/**
 * Failed logins as an access log shows them, for the web profiles' `login_failure_share`.
 * An access log carries no outcome field, but login endpoints follow two conventions:
 *
 * - an HTML form (`/wp-login.php`, `/my-account/`, `/login`) answers a good password with a
 *   redirect (302/303) and a bad one by rendering the form again (200), as fail2ban's WordPress
 *   and generic form filters assume;
 * - an API (`/wp-json/.../token`, `/api/login`, OAuth token endpoints) answers a bad password
 *   with 400/401/403 and a good one with 200.
 *
 * Rejections (401/403/422/429) are failures either way; 404 and 405 mean the path is not a
 * login endpoint here, so they say nothing about credentials.
 */
const LOGIN_SEGMENT =
  /(?:^|\/)(?:wp-login\.php|log-?in|sign-?in|log-?on|my-account|sessions?|auth(?:enticate)?|token)(?:[/.]|$)/i;
const API_PATH = /^\/(?:wp-json|api|graphql|oauth2?|v\d+)(?:\/|$)|\.json$/i;
const REJECTED = new Set([400, 401, 403, 422, 429]);

/** Is this request a login attempt (a POST to a login endpoint)? */
export function isLoginAttempt(method: unknown, path: string): boolean {
  return method === 'POST' && LOGIN_SEGMENT.test(path);
}

/** Did this login attempt fail? Only meaningful when `isLoginAttempt` holds. */
export function loginFailed(path: string, status: number): boolean {
  if (REJECTED.has(status)) return true;
  if (status >= 200 && status < 300) return !API_PATH.test(path);
  return false;
}
