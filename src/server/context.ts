/**
 * What every route shares: configuration, redactor, policy, metrics, and helpers that read the scope, the
 * user name and client disconnects from a request.
 */
import type { Logger } from "pino";
import type { Config } from "../config/schema.js";
import { proxyError } from "../errors/catalogue.js";
import type { Bindings } from "../redaction/bindings.js";
import type { RedactionOutcome, Redactor, RestoreScope } from "../redaction/pipeline.js";
import type { ScopeIndex } from "../redaction/scope-index.js";
import type { Policy } from "../redaction/policy.js";
import type { UpstreamClient } from "../upstream/client.js";
import type { TrafficLog } from "./traffic.js";
import { typeLabel, type Metrics } from "./metrics.js";
import { scopeFromHeaders, SESSION_HEADER, USER_NAME_HEADER } from "../scope/scope.js";
import type { AppReply, AppRequest } from "./types.js";

/** Per-request facts kept for the request log line and the live traffic view (counts only). */
export interface RequestFacts {
  spans?: { PL2: number; PL3: number; PL4: number };
  redactionMs?: number;
  upstreamMs?: number;
  upstreamStatus?: number;
  streamed?: boolean;
}

declare module "fastify" {
  interface FastifyRequest {
    facts: RequestFacts;
  }
}

export interface ProxyContext {
  readonly config: Config;
  readonly redactor: Redactor;
  readonly policy: Policy;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly upstream: UpstreamClient;
  /** Value-free record of recent requests (live traffic page). */
  readonly traffic: TrafficLog;
  /** Placeholders bound to stateful upstream ids (response chains, conversations, batches). */
  readonly bindings: Bindings;
  /** `exchange` or `scope`: what this request's response may be restored with (`restoreScope`). */
  restoreScopeOf(request: AppRequest): RestoreScope;
  /** The index to restore a later response of stateful ids with (a batch's results): what they are bound to. */
  restorationIndex(request: AppRequest, scope: string, ids: readonly string[]): Promise<ScopeIndex>;
  readonly startedAt: number;
  /** The request's logical scope; a malformed session header is a 400. */
  scopeOf(request: AppRequest): string;
  /** The user's real name: header `x-memprivacy-user-name` (URI-encoded allowed), else configuration. */
  userNameOf(request: AppRequest): string | undefined;
  /** An AbortController aborted when the client goes away before the reply is finished. */
  abortOnClose(request: AppRequest, reply: AppReply): AbortController;
  /** Records counts of a redaction: metrics, request facts and the `x-memprivacy-redacted` header. */
  noteRedaction(request: AppRequest, outcome: RedactionOutcome, reply?: AppReply): void;
}

/** Header with span counts per level sent back to the client. */
export const REDACTED_HEADER = "x-memprivacy-redacted";

/** Builds the shared context. */
export function createProxyContext(init: {
  config: Config;
  redactor: Redactor;
  /** The configuration's policy and bindings, built by the runtime (src/runtime.ts). */
  policy: Policy;
  bindings: Bindings;
  metrics: Metrics;
  logger: Logger;
  upstream: UpstreamClient;
  traffic: TrafficLog;
}): ProxyContext {
  const { config, redactor, policy, bindings, metrics, logger, upstream, traffic } = init;
  return {
    config,
    redactor,
    policy,
    metrics,
    logger,
    upstream,
    traffic,
    bindings,
    restoreScopeOf(request) {
      if (config.restoreScope === "scope") return "scope";
      if (config.restoreScope === "session" && request.headers[SESSION_HEADER] !== undefined) return "scope";
      return "exchange";
    },
    async restorationIndex(request, scope, ids) {
      if (this.restoreScopeOf(request) === "scope") return redactor.scopeIndex(scope);
      return redactor.boundIndex(scope, await this.bindings.bound(scope, ids));
    },
    startedAt: Date.now(),
    scopeOf(request) {
      const scope = scopeFromHeaders(request.headers);
      if (scope === undefined) throw proxyError("PRX_REQ_BAD_HEADER", { detail: "x-memprivacy-session" });
      return scope;
    },
    userNameOf(request) {
      const raw = request.headers[USER_NAME_HEADER];
      const value = Array.isArray(raw) ? raw[0] : raw;
      if (value === undefined || value === "") return config.userName;
      try {
        return decodeURIComponent(value).slice(0, 256);
      } catch {
        throw proxyError("PRX_REQ_BAD_HEADER", { detail: USER_NAME_HEADER });
      }
    },
    abortOnClose(_request, reply) {
      const controller = new AbortController();
      const onClose = (): void => {
        if (!reply.raw.writableFinished) controller.abort();
      };
      reply.raw.once("close", onClose);
      return controller;
    },
    noteRedaction(request, outcome, reply) {
      const counts = outcome.counts;
      request.facts.spans = { ...counts };
      // One increment per level and type: a page of 262,000 amounts would otherwise make as many labelled
      // increments (each hashes its labels) on the event loop, after the redaction's deadline.
      const tally = new Map<string, Map<string, number>>();
      for (const spans of outcome.spans) {
        for (const s of spans) {
          let byType = tally.get(s.level);
          if (byType === undefined) tally.set(s.level, (byType = new Map<string, number>()));
          byType.set(s.type, (byType.get(s.type) ?? 0) + 1);
        }
      }
      for (const [level, byType] of tally)
        for (const [type, n] of byType) metrics.spans.inc({ level, type: typeLabel(type) }, n);
      const header = `PL2=${counts.PL2},PL3=${counts.PL3},PL4=${counts.PL4}`;
      reply?.header(REDACTED_HEADER, header);
    },
  };
}
