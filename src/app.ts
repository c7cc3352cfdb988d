/**
 * buildApp(config, deps): the whole proxy as a fastify instance that never listens by itself — main.ts
 * listens; tests inject requests or listen on port 0. Owns what it creates (vault, detector) and closes it.
 */
import { randomUUID } from "node:crypto";
import Fastify, { LogController } from "fastify";
import type { DestinationStream, Logger } from "pino";
import type { Config } from "./config/schema.js";
import type { Detector } from "./detection/span.js";
import { proxyError } from "./errors/catalogue.js";
import { createRuntime, type Detection } from "./runtime.js";
import { hasProxyToken } from "./server/auth.js";
import { checkBoundary, guardResponseHeaders, isOriginFormTarget } from "./server/boundary.js";
import { createProxyContext, type ProxyContext, type RequestFacts } from "./server/context.js";
import { errorBody, frameworkError, rawErrorResponse, toProxyError } from "./server/errors.js";
import { apiFlavourOf, forUnversionedPath, unversionedPath } from "./server/api-paths.js";
import { parseJsonBody, readRequestText } from "./server/json-body.js";
import { createLogger } from "./server/logger.js";
import { TrafficLog } from "./server/traffic.js";
import { createMetrics } from "./server/metrics.js";
import { registerAdhocRoutes } from "./server/routes/adhoc.js";
import { registerHealthRoutes } from "./server/routes/health.js";
import type { AppInstance, AppReply } from "./server/types.js";
import type { ProtocolAdapter } from "./providers/shared/adapter.js";
import { anthropicCountTokensAdapter, anthropicMessagesAdapter } from "./providers/anthropic/index.js";
import { anthropicBatchesAdapter } from "./providers/anthropic-batches/index.js";
import { openAICompletionsAdapter, openAIEmbeddingsAdapter } from "./providers/embeddings/index.js";
import { openAIImagesAdapter } from "./providers/images/index.js";
import { openAIModerationsAdapter } from "./providers/moderations/index.js";
import { openAIChatAdapter } from "./providers/openai-chat/index.js";
import {
  openAIResponsesAdapter,
  openAIResponsesInputTokensAdapter,
} from "./providers/openai-responses/index.js";
import { registerAnthropicBatchRoutes } from "./server/routes/anthropic-batches.js";
import { registerPassthrough } from "./server/routes/passthrough.js";
import { registerRedactedRoute } from "./server/routes/redacted.js";
import { registerUiRoutes, uiAdmitsRequest } from "./server/routes/ui.js";
import { createUpstreamClient, type UpstreamClient } from "./upstream/client.js";
import type { Vault } from "./vault/vault.js";

export interface AppDeps {
  /** A ready logger; otherwise one is created (writing to `logDestination` or stdout). */
  readonly logger?: Logger;
  readonly logDestination?: DestinationStream;
  /** A vault to use (not closed by the app); otherwise opened from config. */
  readonly vault?: Vault;
  /** A detector to use (not closed by the app); otherwise created from config. */
  readonly detector?: Detector;
  /** An upstream client to use (not closed by the app). */
  readonly upstream?: UpstreamClient;
}

/** Routes that are the proxy's own pages and probes, not traffic through it. */
const NOT_TRAFFIC = new Set(["/", "/healthz", "/readyz", "/metrics"]);
/** Routes that answer without the proxy token. */
const OPEN_ROUTES = new Set(["/healthz", "/readyz"]);

/** Builds the application. Does not listen. */
export async function buildApp(config: Config, deps: AppDeps = {}) {
  const logger = deps.logger ?? createLogger(config.logLevel, deps.logDestination);
  // Vault, detectors, redactor and policy come from the one composition root (src/runtime.ts), as in the CLI.
  const runtime = createRuntime(config, { vault: deps.vault, detector: deps.detector, logger });
  const vault = runtime.vault;
  // A restart costs no request a pass over its scope's rows: the stored scopes are decrypted in the background.
  if (deps.vault === undefined) vault.warm?.().catch(() => undefined);
  let detection: Detection;
  try {
    detection = await runtime.detection();
  } catch (err) {
    await runtime.close();
    throw err;
  }
  const { detector, redactor } = detection;
  const metrics = createMetrics(() => vault.stats().entries);

  const app = Fastify({
    loggerInstance: logger,
    // Request lines are our own (onResponse below): counts and timings, never URLs with queries or headers.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.bodyLimit,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    return503OnClosing: true,
    forceCloseConnections: true,
    // The framework's own answers echo the URL (a bad percent-escape, say, with its query): ours do not.
    frameworkErrors: (err, request, reply) => {
      const perr = frameworkError(err);
      request.log.info({ err: perr }, "request refused by the framework");
      const answer = reply as unknown as AppReply;
      void answer.code(perr.status).send(errorBody(perr, apiFlavourOf(request.raw.url ?? "/")));
    },
    // Unparseable HTTP (bad request line, header overflow): a fixed catalogue answer, nothing echoed.
    clientErrorHandler: (err, socket) => {
      if ((err as NodeJS.ErrnoException).code === "ECONNRESET" || socket.destroyed) return;
      // As Node and fastify do: write the answer if the socket still takes it, then drop the connection.
      if (socket.writable) socket.write(rawErrorResponse(err));
      socket.destroy();
    },
  });
  const upstream =
    deps.upstream ??
    createUpstreamClient({
      connectTimeoutMs: config.connectTimeoutMs,
      headersTimeoutMs: config.headersTimeoutMs,
      bodyTimeoutMs: config.bodyTimeoutMs,
    });
  const traffic = new TrafficLog();
  const ctx: ProxyContext = createProxyContext({
    config,
    redactor,
    policy: runtime.policy,
    bindings: runtime.bindings,
    metrics,
    logger,
    upstream,
    traffic,
  });

  // Reference types must be set per request (onRequest), never shared through the prototype.
  app.decorateRequest("facts", null as unknown as RequestFacts);
  app.addHook("onRequest", async (request, reply) => {
    request.facts = {};
    // Only origin-form targets (`/path?query`): absolute-form and `*` are for proxies and servers we are not.
    if (!isOriginFormTarget(request.raw.url)) throw proxyError("PRX_REQ_BAD_TARGET");
    // Host (421), then Origin (403); OPTIONS is answered there, before the token (preflights carry none).
    if (checkBoundary(config, request, reply)) return reply;
    const token = config.proxyToken;
    const path = request.url.split("?", 1)[0] ?? "";
    if (
      token !== undefined &&
      !OPEN_ROUTES.has(path) &&
      !uiAdmitsRequest(config, request.method, request.url)
    ) {
      const injected = config.upstreamApiKey !== undefined || config.anthropicApiKey !== undefined;
      if (!hasProxyToken(request.headers, token, injected)) {
        throw proxyError("PRX_AUTH_MISSING_TOKEN");
      }
    }
  });

  app.removeContentTypeParser(["application/json", "text/plain"]);
  app.addContentTypeParser("application/json", (request, payload, done) => {
    const limit = request.routeOptions.bodyLimit ?? config.bodyLimit;
    readRequestText(payload, request.headers, limit).then(
      (text) => {
        // What goes upstream is re-serialised identity JSON: the client's coding no longer describes it.
        delete request.headers["content-encoding"];
        try {
          done(null, parseJsonBody(text));
        } catch (err) {
          done(err as Error, undefined);
        }
      },
      (err: unknown) => done(err as Error, undefined),
    );
  });

  app.setErrorHandler((err, request, reply) => {
    const perr = toProxyError(err);
    const level = perr.status >= 500 ? "error" : "info";
    request.log[level]({ err: perr }, "request failed");
    if (perr.code.startsWith("PRX_DETECT_")) metrics.detectorFailures.inc({ code: perr.code });
    return reply.code(perr.status).send(errorBody(perr, apiFlavourOf(request.url)));
  });
  app.setNotFoundHandler((request, reply) => {
    const perr = proxyError("PRX_ROUTE_NOT_FOUND");
    return reply.code(perr.status).send(errorBody(perr, apiFlavourOf(request.url)));
  });

  // Whatever a route copied from an upstream: no Set-Cookie, and CORS headers only as the boundary chose.
  app.addHook("onSend", async (request, reply, payload) => {
    guardResponseHeaders(request, reply);
    return payload;
  });

  app.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url ?? "unmatched";
    metrics.requests.inc({ route, status: `${Math.floor(reply.statusCode / 100)}xx` });
    if (!NOT_TRAFFIC.has(route) && !route.startsWith("/ui/") && !route.startsWith("/v1/memprivacy/")) {
      const f = request.facts;
      traffic.record({
        time: new Date().toISOString(),
        method: request.method,
        route,
        status: reply.statusCode,
        ...(f.upstreamStatus === undefined ? {} : { upstreamStatus: f.upstreamStatus }),
        spans: f.spans ?? { PL2: 0, PL3: 0, PL4: 0 },
        ...(f.redactionMs === undefined ? {} : { redactionMs: f.redactionMs }),
        ...(f.upstreamMs === undefined ? {} : { upstreamMs: f.upstreamMs }),
        totalMs: Math.round(reply.elapsedTime * 100) / 100,
        streamed: f.streamed === true,
      });
    }
    request.log.info(
      {
        method: request.method,
        route,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
        ...request.facts,
      },
      "request completed",
    );
  });

  app.addHook("onClose", async () => {
    if (deps.upstream === undefined) await upstream.close();
    await runtime.close();
  });

  const routes = app as unknown as AppInstance;
  registerHealthRoutes(routes, ctx);
  registerAdhocRoutes(routes, ctx);
  const redacted: readonly (readonly [string, ProtocolAdapter])[] = [
    ["/v1/chat/completions", openAIChatAdapter],
    ["/v1/responses", openAIResponsesAdapter],
    ["/v1/responses/input_tokens", openAIResponsesInputTokensAdapter],
    ["/v1/embeddings", openAIEmbeddingsAdapter],
    ["/v1/completions", openAICompletionsAdapter],
    ["/v1/moderations", openAIModerationsAdapter],
    ["/v1/images/generations", openAIImagesAdapter],
    ["/v1/messages", anthropicMessagesAdapter],
    ["/v1/messages/count_tokens", anthropicCountTokensAdapter],
    ["/v1/messages/batches", anthropicBatchesAdapter],
  ];
  for (const [path, adapter] of redacted) {
    registerRedactedRoute(routes, ctx, path, adapter);
    // Also where SDKs send it when their base URL lacks /v1 (redacted too, forwarded to the upstream's /v1).
    registerRedactedRoute(routes, ctx, unversionedPath(path), forUnversionedPath(adapter));
  }
  registerAnthropicBatchRoutes(routes, ctx);
  if (config.ui) registerUiRoutes(routes, ctx);
  await registerPassthrough(routes, ctx);

  logger.info(
    {
      detector: detector.info().kind,
      detectorId: detector.info().id,
      vault: vault.kind,
      levels: config.levels,
      mode: config.mode,
    },
    "memprivacy ready to serve",
  );
  return app;
}
