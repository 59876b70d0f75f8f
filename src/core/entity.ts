/** Who or what a detection, incident or decision is about. */
export type EntityType = 'ip' | 'range' | 'user' | 'file' | 'process' | 'service' | 'host';

export interface Entity {
  readonly type: EntityType;
  readonly value: string;
}

/** Stable text key for maps and SQL indexes: `ip:203.0.113.9`. */
export function entityKey(e: Entity): string {
  return `${e.type}:${e.value}`;
}
