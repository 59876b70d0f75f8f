import type { EcsEvent } from '../../core/event.js';
import { TYPE_ACCESS, TYPE_ACCESS_DENIED, WEB } from '../shared/stream.js';
import { type AccessRecord, fillRequest, vhostFields } from './access.js';

/** ECS fields of an access record; `ev` already holds the base fields. */
export function fillAccess(ev: EcsEvent, r: AccessRecord): void {
  ev['event.category'] = WEB;
  ev['event.type'] = r.status !== undefined && r.status >= 400 ? TYPE_ACCESS_DENIED : TYPE_ACCESS;
  ev['source.ip'] = r.ip;
  if (r.user !== undefined) ev['user.name'] = r.user;
  if (r.vhost !== undefined) vhostFields(ev, r.vhost);
  fillRequest(ev, r.request);
  if (r.status !== undefined) {
    ev['http.response.status_code'] = r.status;
    ev['event.outcome'] = r.status >= 400 ? 'failure' : 'success';
  }
  if (r.bytes !== undefined) ev['http.response.body.bytes'] = r.bytes;
  if (r.referrer !== undefined && r.referrer !== '-') ev['http.request.referrer'] = r.referrer;
  if (r.agent !== undefined && r.agent !== '-') ev['user_agent.original'] = r.agent;
}
