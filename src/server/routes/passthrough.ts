/**
 * Passthrough for every other path (`/v1/models`, files, …): forwarded unchanged with streaming bodies in
 * both directions, hop-by-hop headers stripped. Registered in its own encapsulated context so that its
 * content-type parser (raw stream) does not affect the redacting routes.
 *
 * Nothing here is redacted, so a request that carries a body (an upload, a batch, text to speak, audio)
 * is refused unless `passthroughBodies` is `forward`: the cloud must not see raw values by default.
 */
import type { IncomingHttpHeaders } from "node:http";
import { proxyError } from "../../errors/catalogue.js";
import type { ProxyContext } from "../context.js";
import type { AppInstance } from "../types.js";
import { forwardableHeaders } from "../../upstream/headers.js";
import type { Readable } from "node:stream";

/** Whether a request announces a body: a non-zero length, or a chunked (or other) transfer coding. */
export function carriesBody(headers: IncomingHttpHeaders): boolean {
  if (headers["transfer-encoding"] !== undefined) return true;
  const length = headers["content-length"];
  return length !== undefined && length.trim() !== "0";
}

/** Dot segments, plain or percent-encoded, and backslashes: ways a path could climb out of a prefix. */
const CLIMBING_RE = /(?:^|[/\\])(?:\.|%2e){1,2}(?:[/\\]|$)|\\|%5c/i;

/**
 * Whether `url`'s path is one of `paths` or lies below one (`/v1/audio` covers `/v1/audio/speech`). A path
 * with dot segments never matches: `/v1/audio/../files` must not pass as audio.
 */
export function bodyPathAllowed(url: string, paths: readonly string[]): boolean {
  const path = url.split("?", 1)[0] ?? "";
  if (paths.length === 0 || CLIMBING_RE.test(path)) return false;
  return paths.some((p) => {
    const prefix = p.length > 1 && p.endsWith("/") ? p.slice(0, -1) : p;
    return path === prefix || path.startsWith(prefix === "/" ? "/" : `${prefix}/`);
  });
}

/** Registers the catch-all passthrough. */
export async function registerPassthrough(app: AppInstance, ctx: ProxyContext): Promise<void> {
  await app.register(async (scoped) => {
    scoped.removeAllContentTypeParsers();
    scoped.addContentTypeParser("*", (_request, payload, done) => done(null, payload));
    scoped.all("/*", async (request, reply) => {
      const hasBody = request.method !== "GET" && request.method !== "HEAD";
      if (
        hasBody &&
        ctx.config.passthroughBodies === "refuse" &&
        carriesBody(request.headers) &&
        !bodyPathAllowed(request.url, ctx.config.passthroughBodyPaths)
      ) {
        throw proxyError("PRX_ROUTE_NOT_REDACTED");
      }
      const controller = ctx.abortOnClose(request, reply);
      const headers = forwardableHeaders(request.headers, ["host"]);
      const anthropic = request.url.startsWith("/v1/messages");
      // Injected credentials follow the API the path belongs to, as on the redacting routes.
      if (anthropic && ctx.config.anthropicApiKey !== undefined) {
        headers["x-api-key"] = ctx.config.anthropicApiKey;
        delete headers.authorization;
      } else if (!anthropic && ctx.config.upstreamApiKey !== undefined) {
        headers.authorization = `Bearer ${ctx.config.upstreamApiKey}`;
      }
      const base = anthropic ? ctx.config.anthropicUpstream : ctx.config.upstream;
      const res = await ctx.upstream.request({
        url: `${base}${request.url}`,
        method: request.method,
        headers,
        body: hasBody ? ((request.body as Readable | undefined) ?? null) : null,
        signal: controller.signal,
      });
      request.facts.upstreamStatus = res.statusCode;
      reply.code(res.statusCode);
      reply.headers(forwardableHeaders(res.headers, ["content-length"]));
      return reply.send(res.body);
    });
  });
}
