/**
 * Passthrough for every other path (`/v1/models`, files, …): forwarded unchanged with streaming bodies in
 * both directions, hop-by-hop headers stripped. Registered in its own encapsulated context so that its
 * content-type parser (raw stream) does not affect the redacting routes.
 */
import type { ProxyContext } from "../context.js";
import type { AppInstance } from "../types.js";
import { forwardableHeaders } from "../../upstream/headers.js";
import type { Readable } from "node:stream";

/** Registers the catch-all passthrough. */
export async function registerPassthrough(app: AppInstance, ctx: ProxyContext): Promise<void> {
  await app.register(async (scoped) => {
    scoped.removeAllContentTypeParsers();
    scoped.addContentTypeParser("*", (_request, payload, done) => done(null, payload));
    scoped.all("/*", async (request, reply) => {
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
      const hasBody = request.method !== "GET" && request.method !== "HEAD";
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
