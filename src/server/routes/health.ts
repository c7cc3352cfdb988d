/**
 * Health and metrics: `/healthz` (process up), `/readyz` (detector ready; says which one is active),
 * `/metrics` (Prometheus text). None of them needs the proxy token.
 */
import type { ProxyContext } from "../context.js";
import type { AppInstance } from "../types.js";

/** Registers `/healthz`, `/readyz` and `/metrics`. */
export function registerHealthRoutes(app: AppInstance, ctx: ProxyContext): void {
  app.get("/healthz", async () => ({ status: "ok" }));

  app.get("/readyz", async (_request, reply) => {
    const info = ctx.redactor.detector.info();
    const body = {
      status: info.ready ? "ready" : "starting",
      detector: {
        kind: info.kind,
        id: info.id,
        ...(info.details === undefined ? {} : { details: info.details }),
      },
      vault: ctx.redactor.vault.kind,
    };
    return reply.code(info.ready ? 200 : 503).send(body);
  });

  app.get("/metrics", async (_request, reply) => {
    const text = await ctx.metrics.registry.metrics();
    return reply.type(ctx.metrics.registry.contentType).send(text);
  });
}
