/**
 * `event.dataset` values of HTTP access events: one request each, with the fields an nginx
 * access line gives (`source.ip`, `url.original`, `http.response.status_code`, ...). The web
 * attack classifier, Sigma's webserver log source and novelty's defaults key on this list;
 * the built-in web scenarios read the same values from rules/data/http_access.txt (a test keeps
 * the two equal).
 */
export const HTTP_ACCESS_DATASETS = [
  'nginx.access',
  'apache.access',
  'traefik.access',
  'caddy.access',
  'haproxy.access',
  'aws.elb',
  'zoraxy.access',
  'couchdb',
  'iis.access',
] as const;
