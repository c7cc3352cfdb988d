/**
 * The redacting proxy route shared by every protocol: parse → redact every text slot → forward (undici) →
 * restore the JSON response, or map the SSE stream event by event. Nothing is forwarded if redaction fails
 * (fail closed); the upstream request dies with the client connection.
 */
import { Readable } from "node:stream";
import { performance } from "node:perf_hooks";
import { isProxyError, proxyError } from "../../errors/catalogue.js";
import type { ProtocolAdapter, StreamMapper } from "../../providers/shared/adapter.js";
import type { ApiFamily } from "../../providers/shared/family.js";
import { querySlots } from "../../providers/shared/query.js";
import { applySlots } from "../../providers/shared/slots.js";
import type { ScopeIndex } from "../../redaction/scope-index.js";
import { mayHoldPlaceholder, restoreText } from "../../redaction/restore.js";
import { SseDecoder, type SseEvent } from "../../sse/events.js";
import { encodeSseEvent } from "../../sse/encoder.js";
import { decodedBody, mapUpstreamError, readBodyText, type UpstreamResponse } from "../../upstream/client.js";
import type { ProxyContext } from "../context.js";
import { clientResponseHeaders, proxyOrigin, upstreamRequestHeaders } from "../forwarding.js";
import type { AppInstance, AppRequest } from "../types.js";

/** Most a non-streamed upstream response may hold before the proxy refuses it. */
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

function isJsonType(res: UpstreamResponse): boolean {
  const type = res.headers["content-type"];
  return typeof type !== "string" || /[/+]json\b/i.test(type);
}

function isEventStream(res: UpstreamResponse): boolean {
  const type = res.headers["content-type"];
  return typeof type === "string" && type.toLowerCase().startsWith("text/event-stream");
}

/** One redacting route: `POST path`, its adapter, and what goes before the request URL upstream. */
export interface RedactedRoute {
  readonly path: string;
  readonly adapter: ProtocolAdapter;
  /** `/v1` for the unversioned path of a `/v1/…` endpoint (the upstream still gets `/v1/…`), else empty. */
  readonly upstreamPrefix: string;
}

/** Registers `POST path` for an adapter of `family` (which gives base URL, credential and error shape). */
export function registerRedactedRoute(
  app: AppInstance,
  ctx: ProxyContext,
  family: ApiFamily,
  route: RedactedRoute,
): void {
  const { path, adapter } = route;
  // The route's metric children, looked up once (prom-client hashes the label set on every labelled call).
  const redactionSeconds = ctx.metrics.redactionSeconds.labels({ route: path });
  const streamRestorations = ctx.metrics.streamRestorations.labels({ route: path });
  const upstreamSeconds = new Map<number, ReturnType<typeof ctx.metrics.upstreamSeconds.labels>>();
  const upstreamSecondsOf = (status: number): ReturnType<typeof ctx.metrics.upstreamSeconds.labels> => {
    let child = upstreamSeconds.get(status);
    if (child === undefined) {
      child = ctx.metrics.upstreamSeconds.labels({ route: path, status: String(status) });
      upstreamSeconds.set(status, child);
    }
    return child;
  };
  app.post(path, async (request, reply) => {
    const body = adapter.parseRequest(request.body);
    const scope = ctx.scopeOf(request);
    const query = querySlots(request.url);
    const slots = [...adapter.collectSlots(body), ...query.slots];
    const controller = ctx.abortOnClose(request, reply);

    const t0 = performance.now();
    const continued = adapter.continues?.(body) ?? [];
    const outcome = await ctx.redactor.redact({
      items: slots,
      scope,
      policy: ctx.policy,
      userName: ctx.userNameOf(request),
      signal: controller.signal,
      restoreScope: ctx.restoreScopeOf(request),
      bound: continued.length === 0 ? [] : await ctx.bindings.bound(scope, continued),
      jsonOutput: adapter.wantsJson?.(body) === true,
    });
    applySlots(slots, outcome.texts);
    const redactionMs = performance.now() - t0;
    request.facts.redactionMs = Math.round(redactionMs * 100) / 100;
    redactionSeconds.observe(redactionMs / 1000);
    ctx.noteRedaction(request, outcome, reply);

    const payload = JSON.stringify(body);
    const headers = upstreamRequestHeaders(request, ctx.config, family, { identity: true });
    headers["content-type"] = "application/json";
    const t1 = performance.now();
    const res = await ctx.upstream.request({
      url: `${family.baseUrl(ctx.config)}${route.upstreamPrefix}${query.target()}`,
      method: "POST",
      headers,
      body: payload,
      signal: controller.signal,
    });
    const upstreamMs = performance.now() - t1;
    request.facts.upstreamMs = Math.round(upstreamMs * 100) / 100;
    request.facts.upstreamStatus = res.statusCode;
    upstreamSecondsOf(res.statusCode).observe(upstreamMs / 1000);

    reply.code(res.statusCode);
    reply.headers(clientResponseHeaders(res));
    const mapper =
      isEventStream(res) && res.statusCode < 300 ? adapter.createStreamMapper(outcome.index) : undefined;
    // What this exchange sent (and what it continued) is bound to the ids the response issues.
    // Stored before the response ends; a vault failure here costs only the later restoration of a continuation
    // (nothing is forwarded any more), so it is logged, not turned into an error after the fact.
    const bind = async (ids: readonly string[]): Promise<void> => {
      if (ids.length === 0) return;
      const keys = [...outcome.sent, ...outcome.index.byKey.keys()];
      try {
        await Promise.all(ids.map((id) => ctx.bindings.bind(scope, id, keys)));
      } catch (err) {
        request.log.warn({ err }, "restoration binding not stored");
      }
    };
    if (mapper !== undefined) {
      request.facts.streamed = true;
      return reply.send(mapStream(res, mapper, ctx, request, streamRestorations, bind));
    }
    const text = await readBodyText(decodedBody(res), MAX_RESPONSE_BYTES);
    let binding: Promise<void> | undefined;
    const adjust = (json: unknown): boolean => {
      if (res.statusCode < 300 && adapter.issues !== undefined) binding = bind(adapter.issues(json, body));
      return (
        adapter.adjustResponse?.(json, {
          baseUrl: family.baseUrl(ctx.config),
          origin: proxyOrigin(request),
        }) === true
      );
    };
    const restored = restoreBody(text, res, adapter, outcome.index, adjust);
    await binding;
    return reply.send(restored);
  });
}

/** Restores a complete response body: JSON by fields; anything else (errors, broken JSON) as text. */
function restoreBody(
  text: string,
  res: UpstreamResponse,
  adapter: ProtocolAdapter,
  index: ScopeIndex,
  adjust?: (json: unknown) => boolean,
): string {
  // Nothing to restore and nothing the adapter reads: the body goes back as it came, unparsed.
  const reads =
    res.statusCode < 300 && (adapter.issues !== undefined || adapter.adjustResponse !== undefined);
  if (!reads && !mayHoldPlaceholder(text, index)) return text;
  if (res.statusCode < 300) {
    try {
      const json: unknown = JSON.parse(text);
      const restored = adapter.restoreResponse(json, index) > 0;
      const adjusted = adjust?.(json) === true;
      if (restored || adjusted) return JSON.stringify(json);
      return text;
    } catch {
      // not JSON: fall through to text restoration
    }
  }
  // Error bodies often echo the prompt; restore them so the user never sees a placeholder. Values go in
  // JSON-escaped only where the body is (cut or broken) JSON; a text body gets them as they are.
  return restoreText(text, index, { json: isJsonType(res) }).text;
}

/**
 * The client's stream: upstream events mapped batch by batch as the bytes arrive, then flushed; a failure after
 * the start becomes one final error event. A Readable fed from the upstream body's events, with backpressure (the
 * body pauses while the client's side is full): synchronous per chunk, where an async generator behind
 * `Readable.from` paid an iterator, a generator and a few promises per chunk and per stream. The ids the
 * response issued are bound before the stream ends (and when the client goes away, for what came).
 */
function mapStream(
  res: UpstreamResponse,
  mapper: StreamMapper,
  ctx: ProxyContext,
  request: AppRequest,
  restorations: { inc(value: number): void },
  bind: (ids: readonly string[]) => Promise<void>,
): Readable {
  const body = decodedBody(res);
  const decoder = new SseDecoder(ctx.config.maxEventBytes);
  /** The upstream side is settled: ended, failed, or dropped because the client went away. */
  let settled = false;
  const encode = (events: readonly SseEvent[]): string => {
    let wire = "";
    for (const event of events) wire += encodeSseEvent(event);
    return wire;
  };
  const mapBatch = (events: readonly SseEvent[]): string => {
    let wire = "";
    for (const event of events) for (const mapped of mapper.map(event)) wire += encodeSseEvent(mapped);
    return wire;
  };
  const out = new Readable({
    objectMode: true,
    highWaterMark: 4,
    read() {
      if (body.isPaused()) body.resume();
    },
    destroy(err, callback) {
      // The client went away: stop reading upstream; what the response issued so far is still bound.
      if (!settled) void settle();
      callback(err);
    },
  });
  const push = (wire: string): void => {
    if (wire.length > 0 && !out.destroyed) out.push(wire);
  };
  /** Counts, binds, and lets go of the upstream body (once). */
  const settle = async (): Promise<void> => {
    settled = true;
    // The error listener stays (a body erroring before its destroy must not crash the process); it does
    // nothing once settled.
    body.off("data", onData).off("end", onEnd).off("close", onClose);
    body.pause();
    try {
      restorations.inc(mapper.restored);
      if (mapper.issued !== undefined) await bind(mapper.issued());
    } finally {
      if (!body.destroyed) body.destroy();
      if (!res.body.destroyed) res.body.destroy();
    }
  };
  /** Ends the client's stream after `last` (its events written in order), or destroys it if that fails. */
  const end = (last: () => string): void => {
    settle()
      .then(() => {
        push(last());
        if (!out.destroyed) out.push(null);
      })
      .catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error("stream mapping failed")));
  };
  const fail = (err: unknown): void => {
    if (settled) return;
    const failure = isProxyError(err) ? err : mapUpstreamError(err);
    end(() => {
      request.log.warn({ err: failure }, "upstream stream failed");
      // Held text is still the client's own content: flush it before the error so nothing is lost.
      return encode(mapper.end()) + encodeSseEvent(mapper.error(failure));
    });
  };
  function onData(chunk: Buffer): void {
    let wire: string;
    try {
      wire = mapBatch(decoder.push(chunk));
    } catch (err) {
      fail(err);
      return;
    }
    push(wire);
    if (!out.destroyed && out.readableLength >= out.readableHighWaterMark) body.pause();
  }
  function onEnd(): void {
    let tail: string;
    try {
      tail = mapBatch(decoder.end()) + encode(mapper.end());
    } catch (err) {
      fail(err);
      return;
    }
    // The tail goes out at once; the stream ends once the response's ids are bound.
    push(tail);
    end(() => "");
  }
  function onError(err: unknown): void {
    fail(err);
  }
  function onClose(): void {
    // Closed without its end: the upstream went away mid-stream.
    fail(proxyError("PRX_STREAM_INTERRUPTED"));
  }
  body.on("data", onData).once("end", onEnd).on("error", onError).once("close", onClose);
  return out;
}
