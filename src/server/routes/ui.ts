/**
 * The local web page (README "The local page"): `GET /` serves the single-page app built from `src/ui/` into
 * `dist/ui/` by `scripts/build-ui.ts`, `GET /ui/<asset>` its script, style sheet and icon,
 * `GET /v1/memprivacy/status` counts only, and `GET /v1/memprivacy/traffic` the value-free traffic record as
 * server-sent events.
 *
 * Why prebuilt files rather than bundling at start-up: esbuild is a build tool (a devDependency through
 * tsx), the installed proxy must not need it; `npm run build` writes `dist/ui/` and the test run does the
 * same in its global setup, so both `npm start` and `npm test` work from a fresh clone. The files are read
 * once, on first use, and kept in memory.
 *
 * Token: when a proxy token is configured the page itself needs it too, but a browser navigation cannot
 * send a header, so `GET /` alone also accepts it as `?token=` (see `uiAdmitsRequest`). The page keeps it
 * and sends it as `x-memprivacy-token` on every call it makes; the traffic stream is read with `fetch`, not
 * `EventSource`, for that reason. The three assets are public: the same bytes as the published package.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import type { Config } from "../../config/schema.js";
import { proxyError } from "../../errors/catalogue.js";
import { VERSION } from "../../version.js";
import { safeEqual } from "../auth.js";
import type { ProxyContext } from "../context.js";
import { scopeFor } from "../../scope/scope.js";
import type { TrafficEntry } from "../traffic.js";
import type { AppInstance, AppReply } from "../types.js";
import { genericPartition } from "../../redaction/pipeline.js";
import { encodeSseEvent } from "../../sse/encoder.js";

/** Session id of the playground's scope (anonymous credential): the page sends it on every call. */
export const PLAYGROUND_SESSION = "playground";

/** Content-Security-Policy of every UI response: nothing from outside, no inline script or style. */
export const UI_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy": UI_CSP,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
};

/** Built files served under `/ui/` (and `index.html` at `/`), with their content types. */
const ASSETS: Readonly<Record<string, string>> = {
  "index.html": "text/html; charset=utf-8",
  "app.js": "text/javascript; charset=utf-8",
  "app.css": "text/css; charset=utf-8",
  "icon.svg": "image/svg+xml",
};

/** Assets anyone may fetch without the token (static code, no data). */
const PUBLIC_ASSET_PATHS = new Set(["/ui/app.js", "/ui/app.css", "/ui/icon.svg"]);

/**
 * True when a request may pass the proxy-token check without the token header: a UI asset, or `GET /` with
 * the right `?token=`. False whenever the UI is off, so those paths then fall back to the normal check.
 */
export function uiAdmitsRequest(config: Config, method: string, url: string): boolean {
  if (!config.ui || config.proxyToken === undefined) return false;
  if (method !== "GET" && method !== "HEAD") return false;
  const q = url.indexOf("?");
  const path = q < 0 ? url : url.slice(0, q);
  if (PUBLIC_ASSET_PATHS.has(path)) return true;
  if (path !== "/" || q < 0) return false;
  const given = new URLSearchParams(url.slice(q + 1)).get("token");
  return given !== null && safeEqual(given, config.proxyToken);
}

interface Asset {
  readonly body: Buffer;
  readonly type: string;
  readonly etag: string;
}

/** Where the built assets are: `dist/ui/` beside `dist/src/` (installed) or under the repository (tsx). */
function assetDirCandidates(): URL[] {
  return [new URL("../../../ui/", import.meta.url), new URL("../../../dist/ui/", import.meta.url)];
}

function loadAssets(): Map<string, Asset> | undefined {
  for (const dir of assetDirCandidates()) {
    const out = new Map<string, Asset>();
    try {
      for (const [name, type] of Object.entries(ASSETS)) {
        const body = fs.readFileSync(new URL(name, dir));
        const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"`;
        out.set(name, { body, type, etag });
      }
      return out;
    } catch {
      // not built here; try the next place
    }
  }
  return undefined;
}

/** Shown instead of the page when `dist/ui/` is missing (a fixed text, nothing from the request). */
const NOT_BUILT =
  "The MemPrivacy page is not built. Run `npm run build` (or `npx tsx scripts/build-ui.ts`), then reload.\n";

/** Options of `registerUiRoutes` (tests shorten the heartbeat). */
export interface UiRouteOptions {
  /** Interval of the SSE comment that keeps idle connections open; default 15 s. */
  readonly heartbeatMs?: number;
  /** Most simultaneous traffic streams; a new one beyond it closes the oldest (a forgotten tab). Default 16. */
  readonly maxStreams?: number;
  /** Entries replayed to a new stream before live ones; default 100. */
  readonly replay?: number;
}

/** Bytes a slow stream reader may leave unread before it is dropped. */
const MAX_UNREAD_BYTES = 256 * 1024;
/** The traffic stream's first bytes: the reconnection delay and a comment naming the stream. */
const TRAFFIC_PREAMBLE = "retry: 2000\n: memprivacy traffic\n\n";
/** A comment that keeps an idle connection open. */
const TRAFFIC_HEARTBEAT = ": ping\n\n";

/** The wire form of one traffic entry: every field named, so nothing new slips through unreviewed. */
function trafficWire(e: TrafficEntry): Record<keyof TrafficEntry, unknown> {
  return {
    id: e.id,
    time: e.time,
    method: e.method,
    route: e.route,
    status: e.status,
    upstreamStatus: e.upstreamStatus ?? null,
    spans: { PL2: e.spans.PL2, PL3: e.spans.PL3, PL4: e.spans.PL4 },
    redactionMs: e.redactionMs ?? null,
    upstreamMs: e.upstreamMs ?? null,
    totalMs: e.totalMs,
    streamed: e.streamed,
  };
}

function countsOf(record: Readonly<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(record)) if (value > 0) out[key] = value;
  return out;
}

function sendAsset(reply: AppReply, asset: Asset, ifNoneMatch: string | undefined): AppReply {
  reply.headers(SECURITY_HEADERS).header("cache-control", "no-cache").header("etag", asset.etag);
  if (ifNoneMatch === asset.etag) return reply.code(304).send();
  return reply.type(asset.type).send(asset.body);
}

/** Registers the page, its assets, the status and the traffic stream. Call before the passthrough. */
export function registerUiRoutes(app: AppInstance, ctx: ProxyContext, options: UiRouteOptions = {}): void {
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const maxStreams = options.maxStreams ?? 16;
  const replay = options.replay ?? 100;
  const playgroundScope = scopeFor("", PLAYGROUND_SESSION);
  let assets: Map<string, Asset> | undefined;
  /** Open traffic streams, oldest first. */
  const streams = new Set<AppReply["raw"]>();

  const asset = (name: string): Asset | undefined => {
    assets ??= loadAssets();
    return assets?.get(name);
  };

  app.get("/", async (request, reply) => {
    const page = asset("index.html");
    if (page === undefined) {
      return reply.code(503).headers(SECURITY_HEADERS).type("text/plain; charset=utf-8").send(NOT_BUILT);
    }
    return sendAsset(reply, page, request.headers["if-none-match"]);
  });

  app.get<{ Params: { file: string } }>("/ui/:file", async (request, reply) => {
    const name = request.params.file;
    const found = name === "index.html" ? undefined : asset(name);
    if (found === undefined) throw proxyError("PRX_ROUTE_NOT_FOUND");
    return sendAsset(reply, found, request.headers["if-none-match"]);
  });

  app.get("/v1/memprivacy/status", async (_request, reply) => {
    const info = ctx.redactor.detector.info();
    const vault = ctx.redactor.vault;
    const [typed, generic] = await Promise.all([
      vault.stats(playgroundScope),
      vault.stats(genericPartition(playgroundScope)),
    ]);
    const details: Record<string, string | number | boolean> = {};
    for (const [key, value] of Object.entries(info.details ?? {})) {
      if (typeof value === "string" || typeof value === "number" || typeof value === "boolean")
        details[key] = value;
    }
    reply.header("cache-control", "no-store").header("x-content-type-options", "nosniff");
    return {
      version: VERSION,
      startedAt: new Date(ctx.startedAt).toISOString(),
      uptimeSeconds: Math.round((Date.now() - ctx.startedAt) / 1000),
      detector: { kind: info.kind, id: info.id, ready: info.ready, details },
      policy: { levels: [...ctx.policy.levels], mode: ctx.policy.mode },
      vault: {
        kind: vault.kind,
        scope: PLAYGROUND_SESSION,
        entries: typed.entries,
        genericEntries: generic.entries,
        byLevel: { PL2: 0, PL3: 0, PL4: 0, ...countsOf(typed.byLevel) },
        byType: countsOf(typed.byType),
      },
    };
  });

  app.get("/v1/memprivacy/traffic", (request, reply) => {
    const lastHeader = request.headers["last-event-id"];
    const lastId = typeof lastHeader === "string" && /^\d{1,15}$/.test(lastHeader) ? Number(lastHeader) : 0;
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      "x-accel-buffering": "no",
    });
    for (const old of streams) {
      if (streams.size < maxStreams) break;
      streams.delete(old);
      old.destroy();
    }
    streams.add(res);
    let closed = false;
    const write = (text: string): void => {
      if (closed) return;
      res.write(text);
      // A reader that stops reading must not make the proxy buffer without bound.
      if (res.writableLength > MAX_UNREAD_BYTES) res.destroy();
    };
    // Every event goes through the encoder (src/sse/encoder.ts: no CR/LF into a field); only the fixed
    // preamble and heartbeat, which carry no value, are written as they are.
    const send = (entry: TrafficEntry): void => {
      write(
        encodeSseEvent({ id: String(entry.id), event: "traffic", data: JSON.stringify(trafficWire(entry)) }),
      );
    };
    write(TRAFFIC_PREAMBLE);
    for (const entry of ctx.traffic.recent(replay)) if (entry.id > lastId) send(entry);
    write(encodeSseEvent({ event: "ready", data: "{}" }));
    const unsubscribe = ctx.traffic.subscribe(send);
    const heartbeat = setInterval(() => write(TRAFFIC_HEARTBEAT), heartbeatMs);
    heartbeat.unref();
    res.once("close", () => {
      closed = true;
      streams.delete(res);
      clearInterval(heartbeat);
      unsubscribe();
    });
  });
}
