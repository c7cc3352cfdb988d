/**
 * The upstream client (undici): one keep-alive Agent with connect/headers/body timeouts. Transport errors
 * map to 502/503/504 catalogue errors with the original kept as `cause`; an aborted client request destroys
 * the upstream one. Bodies are always consumed or destroyed by the caller (see `discard`).
 */
import { pipeline, type Readable } from "node:stream";
import zlib from "node:zlib";
import { Agent, errors as undiciErrors, type Dispatcher } from "undici";
import { proxyError, type ProxyError } from "../errors/catalogue.js";
import type { HeaderMap } from "./headers.js";

export interface UpstreamOptions {
  readonly connectTimeoutMs: number;
  readonly headersTimeoutMs: number;
  readonly bodyTimeoutMs: number;
  /** Connections per origin. */
  readonly connections?: number;
}

export interface UpstreamRequest {
  /** Absolute URL. */
  readonly url: string;
  readonly method: string;
  readonly headers: HeaderMap;
  readonly body?: string | Buffer | Readable | null;
  readonly signal?: AbortSignal;
}

export interface UpstreamResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Dispatcher.ResponseData["body"];
}

export interface UpstreamClient {
  request(req: UpstreamRequest): Promise<UpstreamResponse>;
  close(): Promise<void>;
}

/** Maps a transport error to the catalogue (the original stays as `cause`, never in the message). */
export function mapUpstreamError(err: unknown): ProxyError {
  if (err instanceof undiciErrors.ConnectTimeoutError)
    return proxyError("PRX_UPSTREAM_UNREACHABLE", { cause: err });
  if (err instanceof undiciErrors.HeadersTimeoutError || err instanceof undiciErrors.BodyTimeoutError) {
    return proxyError("PRX_UPSTREAM_TIMEOUT", { cause: err });
  }
  if (err instanceof undiciErrors.ResponseExceededMaxSizeError)
    return proxyError("PRX_UPSTREAM_BAD_RESPONSE", { cause: err });
  const code = (err as { code?: unknown } | null)?.code;
  if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EHOSTUNREACH") {
    return proxyError("PRX_UPSTREAM_UNREACHABLE", { cause: err });
  }
  if (code === "UND_ERR_SOCKET" || code === "ECONNRESET" || code === "EPIPE") {
    return proxyError("PRX_STREAM_INTERRUPTED", { cause: err });
  }
  if (code === "ETIMEDOUT") return proxyError("PRX_UPSTREAM_TIMEOUT", { cause: err });
  return proxyError("PRX_UPSTREAM_UNAVAILABLE", { cause: err });
}

/** Creates the client. */
export function createUpstreamClient(options: UpstreamOptions): UpstreamClient {
  const agent = new Agent({
    connect: { timeout: options.connectTimeoutMs },
    headersTimeout: options.headersTimeoutMs,
    bodyTimeout: options.bodyTimeoutMs,
    keepAliveTimeout: 10_000,
    connections: options.connections ?? 128,
  });
  return {
    async request(req) {
      const url = new URL(req.url);
      try {
        const res = await agent.request({
          origin: url.origin,
          path: `${url.pathname}${url.search}`,
          method: req.method,
          headers: req.headers,
          body: req.body ?? null,
          signal: req.signal,
        });
        return { statusCode: res.statusCode, headers: res.headers, body: res.body };
      } catch (err) {
        if (req.signal?.aborted === true) throw proxyError("PRX_REQ_CLIENT_CLOSED", { cause: err });
        throw mapUpstreamError(err);
      }
    },
    async close() {
      await agent.close();
    },
  };
}

/**
 * Reads a body to text, refusing more than `limit` bytes (the body is then destroyed). Read through its `data`
 * and `end` events rather than an async iterator: the iterator's set-up cost ~5 µs more per response, and the
 * proxy reads one on every non-streamed request.
 */
export function readBodyText(body: Readable, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer | Uint8Array): void => {
      size += chunk.byteLength;
      if (size > limit) {
        settle();
        body.destroy();
        reject(proxyError("PRX_UPSTREAM_BAD_RESPONSE", { detail: "response body over limit" }));
        return;
      }
      // undici hands out Buffers already: keep them rather than copy each one.
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    };
    const onEnd = (): void => {
      settle();
      resolve((chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size)).toString("utf8"));
    };
    const onError = (err: unknown): void => {
      settle();
      reject(mapUpstreamError(err));
    };
    // A body destroyed before its end (the client went away) ends the read as an interrupted stream.
    const onClose = (): void => {
      settle();
      reject(proxyError("PRX_STREAM_INTERRUPTED"));
    };
    const settle = (): void => {
      body.off("data", onData).off("end", onEnd).off("error", onError).off("close", onClose);
    };
    if (body.destroyed) {
      onClose();
      return;
    }
    body.on("data", onData).once("end", onEnd).once("error", onError).once("close", onClose);
  });
}

/**
 * The response body as identity-encoded bytes. The proxy asks for `identity`, but an upstream may still
 * compress; restoration needs the plain text, so gzip, deflate and br are decoded here. Not undici's
 * `interceptors.decompress`: in undici 7 it is marked experimental (it prints an ExperimentalWarning on every
 * start) and would also need a second dispatcher, as the passthrough must keep bodies as they came.
 */
export function decodedBody(res: UpstreamResponse): Readable {
  const raw = res.headers["content-encoding"];
  const encoding = (Array.isArray(raw) ? raw.join(",") : (raw ?? "")).trim().toLowerCase();
  const decoder =
    encoding === "gzip" || encoding === "x-gzip"
      ? zlib.createGunzip()
      : encoding === "deflate"
        ? zlib.createInflate()
        : encoding === "br"
          ? zlib.createBrotliDecompress()
          : undefined;
  if (decoder === undefined) return res.body;
  // pipeline destroys both sides on error or early destroy.
  pipeline(res.body, decoder, () => undefined);
  return decoder;
}
