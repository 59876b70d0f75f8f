/** A deeply writable view of a type (the inverse of the frozen runtime config's readonly types). */
export type Mutable<T> = T extends readonly (infer U)[]
  ? Mutable<U>[]
  : T extends object
    ? { -readonly [K in keyof T]: Mutable<T[K]> }
    : T;

/**
 * A writable copy of frozen config, for builders whose parameter types were written for zod's
 * mutable output. They only read it; the copy keeps the shared runtime config untouchable.
 */
export function mutableCopy<T>(value: T): Mutable<T> {
  return structuredClone(value) as Mutable<T>;
}
