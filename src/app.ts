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
import { createProxyContext, type ProxyContext } from "./server/context.js";
import { errorHandler, frameworkError, rawErrorResponse } from "./server/errors.js";
import { registerJsonBodyParser } from "./server/json-body.js";
import { createLogger } from "./server/logger.js";
import { TrafficLog } from "./server/traffic.js";
import { createMetrics } from "./server/metrics.js";
import { registerAdhocRoutes } from "./server/routes/adhoc.js";
import { registerHealthRoutes } from "./server/routes/health.js";
import type { AppInstance, AppReply } from "./server/types.js";
import { anthropicFamily } from "./providers/anthropic/family.js";
import { API_FAMILIES, DEFAULT_FAMILY, familyOf } from "./providers/families.js";
import type { ApiFamily } from "./providers/shared/family.js";
import { registerApiFamily, type FamilyRoutes } from "./server/plugins/api-family.js";
import { registerRequestGuards } from "./server/plugins/request-guards.js";
import { registerRequestLog } from "./server/plugins/request-log.js";
import { registerAnthropicBatchRoutes } from "./server/routes/anthropic-batches.js";
import { registerUiRoutes } from "./server/routes/ui.js";
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

/** A family's routes beyond its redacting endpoints and passthrough. */
const FAMILY_ROUTES: ReadonlyMap<ApiFamily, FamilyRoutes> = new Map([
  [anthropicFamily, registerAnthropicBatchRoutes],
]);

/** Builds the application. Does not listen. */
export async function buildApp(config: Config, deps: AppDeps = {}) {
  const logger = deps.logger ?? createLogger(config.logLevel, deps.logDestination);
  // Vault, detectors, redactor and policy come from the one composition root (src/runtime.ts), as in the CLI.
  const runtime = createRuntime(config, { vault: deps.vault, detector: deps.detector, logger });
  const vault = runtime.vault;
  try {
    // A wrong key, or a shared database that cannot be migrated, stops start-up before anything listens.
    await vault.ready();
  } catch (err) {
    await runtime.close();
    throw err;
  }
  let detection: Detection;
  try {
    detection = await runtime.detection();
  } catch (err) {
    await runtime.close();
    throw err;
  }
  const { detector, redactor } = detection;
  // A restart costs no request a pass over its scope's values: the stored scopes are decrypted and their known
  // values built in the background from start-up (the redactor's warm-up over the vault's).
  if (deps.vault === undefined) redactor.warm().catch(() => undefined);
  const metrics = createMetrics(
    async () => (await vault.stats()).entries,
    () => detector.info().details,
  );

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
      void answer.code(perr.status).send(familyOf(request.raw.url ?? "/").errorBody(perr));
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

  const routes = app as unknown as AppInstance;
  // Root hooks (every route, every plugin): target, boundary, token and response-header guards; then JSON.
  registerRequestGuards(routes, config);
  registerJsonBodyParser(routes, config.bodyLimit);
  // The proxy's own routes; each API family's plugin sets its own handler for its routes.
  app.setErrorHandler(errorHandler(familyOf, metrics));
  app.setNotFoundHandler((request, reply) => {
    const perr = proxyError("PRX_ROUTE_NOT_FOUND");
    return reply.code(perr.status).send(familyOf(request.url).errorBody(perr));
  });

  registerRequestLog(routes, metrics, traffic);
  app.addHook("onClose", async () => {
    if (deps.upstream === undefined) await upstream.close();
    await runtime.close();
  });

  registerHealthRoutes(routes, ctx);
  registerAdhocRoutes(routes, ctx);
  if (config.ui) registerUiRoutes(routes, ctx);
  // One encapsulated plugin per API family: its endpoints, its passthrough, its error shape.
  for (const family of API_FAMILIES) {
    const options = { isDefault: family === DEFAULT_FAMILY, routes: FAMILY_ROUTES.get(family) };
    await registerApiFamily(routes, ctx, family, options);
  }

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
