/**
 * The contract every protocol adapter implements (one folder per protocol, same file names): parse the wire
 * request, list its text slots, restore a JSON response, and map a streamed response event by event.
 */
import type { z } from "zod";
import { proxyError, type ProxyError } from "../../errors/catalogue.js";
import type { ScopeIndex } from "../../redaction/scope-index.js";
import type { SseEvent } from "../../sse/events.js";
import type { TextSlot } from "./slots.js";

/** Maps upstream stream events to client events, restoring placeholders per channel. */
export interface StreamMapper {
  /** Events to send for one upstream event (often one; none while text is held back). */
  map(event: SseEvent): SseEvent[];
  /** Events that flush what is still held, sent before the stream ends. */
  end(): SseEvent[];
  /**
   * The one final event sent when the stream fails after it started: the endpoint's error event, carrying
   * the family's error shape (src/providers/<family>/errors.ts) or the endpoint's own form of it.
   */
  error(err: ProxyError): SseEvent;
  /** Placeholders restored so far. */
  readonly restored: number;
  /** Upstream ids the stream issued so far (a Responses `response.id`), to bind the exchange to. */
  issued?(): string[];
}

/**
 * One endpoint's protocol; its family (src/providers/shared/family.ts) owns base URL, credential and errors.
 * `Body` is the parsed request as the adapter's wire schema types it (`z.infer`, unknown fields kept); the
 * route only hands it back to the same adapter and serialises it.
 */
export interface ProtocolAdapter<Body extends object = object> {
  /** Validates the body (zod, unknown fields kept) and returns a mutable copy. Throws PRX_REQ_INVALID_BODY. */
  parseRequest(body: unknown): Body;
  /** Every text field to redact, in a stable order. */
  collectSlots(body: Body): TextSlot[];
  /** Restores a non-streamed JSON response in place; returns the count restored. */
  restoreResponse(body: unknown, index: ScopeIndex): number;
  /**
   * Adjusts a successful JSON response in place beyond restoring it (say, pointing a URL of the family's
   * upstream `baseUrl` at the proxy, which the client reached at `origin`); returns whether anything changed.
   */
  adjustResponse?(body: unknown, context: { readonly baseUrl: string; readonly origin: string }): boolean;
  /** Whether the client asked for JSON output: restoration of text fields is then JSON-aware. */
  wantsJson?(body: Body): boolean;
  /** Upstream ids of the stateful conversation this request continues (their bound placeholders restore). */
  continues?(body: Body): string[];
  /** Upstream ids a successful JSON response issues, to bind this exchange's placeholders to. */
  issues?(response: unknown, body: Body): string[];
  /** A mapper for one streamed response, or undefined when the protocol never streams. */
  createStreamMapper(index: ScopeIndex): StreamMapper | undefined;
}

/**
 * Validates a request body against a wire schema (a protocol's, or one of the proxy's own endpoints'); the
 * parsed copy (unknown fields kept where the schema is loose) or PRX_REQ_INVALID_BODY naming the first
 * offending path, `body` for the body itself (never a value).
 */
export function parseWireRequest<T extends object>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const where = result.error.issues[0]?.path.map(String).join(".") ?? "";
  throw proxyError("PRX_REQ_INVALID_BODY", { detail: where === "" ? "body" : where });
}
