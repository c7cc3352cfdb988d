/**
 * Anthropic Message Batches beyond creation (which is a redacting route):
 * - `GET /v1/messages/batches[/:id]`: forwarded; `results_url` in the answer is pointed at the proxy, so a
 *   client that follows it (the official SDK does) fetches the results through here;
 * - `GET /v1/messages/batches/:id/results`: the JSON-lines results, restored line by line as they stream
 *   (each succeeded `message` like a `POST /v1/messages` response), never buffered whole.
 * Cancelling and deleting stay on the passthrough (bodiless).
 */
import { Readable } from "node:stream";
import { isProxyError } from "../../errors/catalogue.js";
import { restoreResultLine, rewriteResultsUrls } from "../../providers/anthropic-batches/response.js";
import type { ApiFamily } from "../../providers/shared/family.js";
import { restoreText } from "../../redaction/restore.js";
import type { ScopeIndex } from "../../redaction/scope-index.js";
import { LineDecoder } from "../../sse/lines.js";
import { decodedBody, mapUpstreamError, readBodyText, type UpstreamResponse } from "../../upstream/client.js";
import type { ProxyContext } from "../context.js";
import type { AppInstance, AppReply, AppRequest } from "../types.js";
import { clientResponseHeaders, proxyOrigin, upstreamRequestHeaders } from "../forwarding.js";

/** Most a batch object or list may hold. */
const MAX_BATCH_BYTES = 16 * 1024 * 1024;
/** Longest single results line (one message with its content). */
const MAX_RESULT_LINE_CHARS = 64 * 1024 * 1024;

/** Forwards the GET; the upstream request dies with the client connection. */
async function forwardGet(
  ctx: ProxyContext,
  family: ApiFamily,
  request: AppRequest,
  reply: AppReply,
): Promise<UpstreamResponse> {
  return ctx.upstream.request({
    url: `${family.baseUrl(ctx.config)}${request.url}`,
    method: "GET",
    headers: upstreamRequestHeaders(request, ctx.config, family, { identity: true }),
    signal: ctx.abortOnClose(request, reply).signal,
  });
}

/** Results restored line by line; a failure after the start ends the body (the client sees a cut file). */
async function* restoredLines(res: UpstreamResponse, index: ScopeIndex): AsyncGenerator<string> {
  const body = decodedBody(res);
  const lines = new LineDecoder(MAX_RESULT_LINE_CHARS);
  try {
    // A Readable without an encoding yields Buffers.
    for await (const chunk of body as AsyncIterable<Buffer>) {
      let out = "";
      for (const line of lines.push(chunk)) out += `${restoreResultLine(line, index)}\n`;
      if (out.length > 0) yield out;
    }
    let tail = "";
    for (const line of lines.end()) tail += `${restoreResultLine(line, index)}\n`;
    if (tail.length > 0) yield tail;
  } catch (err) {
    throw isProxyError(err) ? err : mapUpstreamError(err);
  } finally {
    if (!body.destroyed) body.destroy();
  }
}

/** Registers the batch look-up and results routes of the Anthropic family (`family`). */
export function registerAnthropicBatchRoutes(app: AppInstance, ctx: ProxyContext, family: ApiFamily): void {
  const lookUp = async (request: AppRequest, reply: AppReply): Promise<AppReply> => {
    const res = await forwardGet(ctx, family, request, reply);
    request.facts.upstreamStatus = res.statusCode;
    reply.code(res.statusCode).headers(clientResponseHeaders(res));
    const text = await readBodyText(decodedBody(res), MAX_BATCH_BYTES);
    if (res.statusCode >= 300) return reply.send(text);
    try {
      const json: unknown = JSON.parse(text);
      const origin = proxyOrigin(request);
      return reply.send(
        rewriteResultsUrls(json, family.baseUrl(ctx.config), origin) ? JSON.stringify(json) : text,
      );
    } catch {
      return reply.send(text);
    }
  };
  app.get("/v1/messages/batches", lookUp);
  app.get("/v1/messages/batches/:id", lookUp);

  app.get("/v1/messages/batches/:id/results", async (request, reply) => {
    // Results restore with what the batch's requests carried (bound to its id when it was created).
    const scope = ctx.scopeOf(request);
    const index = await ctx.restorationIndex(request, scope, [(request.params as { id: string }).id]);
    const res = await forwardGet(ctx, family, request, reply);
    request.facts.upstreamStatus = res.statusCode;
    reply.code(res.statusCode).headers(clientResponseHeaders(res));
    if (res.statusCode >= 300) {
      // Error bodies may echo a request: restore them as text, like the redacting routes do.
      const text = await readBodyText(decodedBody(res), MAX_BATCH_BYTES);
      return reply.send(restoreText(text, index, { json: true }).text);
    }
    request.facts.streamed = true;
    return reply.send(Readable.from(restoredLines(res, index)));
  });
}
