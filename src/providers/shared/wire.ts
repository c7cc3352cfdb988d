/**
 * Typed views of wire JSON. An adapter's zod schema (loose objects: unknown fields kept) checks the fields it
 * reads, and the value itself comes back typed as the schema's `z.infer` — not zod's parsed copy, because
 * restoration works in place on the very response the route sends on. Schemas given here must neither
 * transform nor default anything, so that the value and the parse agree.
 */
import type { z } from "zod";

/**
 * `value` itself, typed by `schema` (an object schema), when it has the schema's shape; otherwise undefined. An
 * absent or non-object value is answered without a parse: a failed parse builds an error, and views are taken
 * of optional fields on every response.
 */
export function wireView<T>(schema: z.ZodType<T>, value: unknown): T | undefined {
  if (value === null || typeof value !== "object") return undefined;
  return schema.safeParse(value).success ? (value as T) : undefined;
}

/** The elements of `value` (when it is an array) that have `schema`'s shape, typed; the others are skipped. */
export function wireViews<T>(schema: z.ZodType<T>, value: unknown): T[] {
  if (!Array.isArray(value)) return [];
  const out: T[] = [];
  for (const item of value as unknown[]) {
    const view = wireView(schema, item);
    if (view !== undefined) out.push(view);
  }
  return out;
}

/** The elements of `value` when it is an array; none otherwise. */
export function elements(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : [];
}

/** True for the JSON output formats of the OpenAI APIs (`response_format.type`, `text.format.type`). */
export function isJsonFormatType(type: string | null | undefined): boolean {
  return type === "json_schema" || type === "json_object";
}
