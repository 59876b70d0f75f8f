import { z } from 'zod';

/**
 * Fix-it text attached to a schema node. Kept in a registry of its own rather than in
 * `.meta()`, so editors' JSON Schema output carries only standard keywords.
 */
export const hintRegistry = z.registry<{ hint: string }>();

/** Attach a hint shown when a value at this schema fails, and return the same schema. */
export function withHint<T extends z.core.$ZodType>(schema: T, hint: string): T {
  hintRegistry.add(schema, { hint });
  return schema;
}
