/**
 * JSON request bodies: read with their `Content-Encoding` undone (gzip, deflate or br; some clients
 * compress large requests) and bounded by `bodyLimit` both as received and once decompressed, so a zip
 * bomb is refused (413) without ever being inflated past the limit. The text is then parsed by
 * src/json/shape.ts (nesting and element bounds checked first, prototype-poisoning protection).
 */
import type { IncomingHttpHeaders } from "node:http";
import type { Readable } from "node:stream";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { proxyError } from "../errors/catalogue.js";
import { parseJsonBody } from "../json/shape.js";
import type { AppInstance } from "./types.js";

/** Content codings the proxy decodes (RFC 9110 §8.4.1; `x-gzip` is gzip's old name). */
export type ContentCoding = "identity" | "gzip" | "deflate" | "br";

/** The request's single content coding, or PRX_REQ_UNSUPPORTED_ENCODING (stacked codings included). */
export function contentCodingOf(header: string | string[] | undefined): ContentCoding {
  if (header === undefined) return "identity";
  const value = (Array.isArray(header) ? header.join(",") : header).trim().toLowerCase();
  if (value === "" || value === "identity") return "identity";
  if (value === "gzip" || value === "x-gzip") return "gzip";
  if (value === "deflate" || value === "br") return value;
  throw proxyError("PRX_REQ_UNSUPPORTED_ENCODING");
}

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const inflateRaw = promisify(zlib.inflateRaw);
const brotliDecompress = promisify(zlib.brotliDecompress);

/** Whether `bytes` start with a zlib header (RFC 1950): deflate method, window ≤ 32K, check bits. */
function hasZlibHeader(bytes: Buffer): boolean {
  const cmf = bytes[0];
  const flg = bytes[1];
  if (cmf === undefined || flg === undefined) return false;
  return (cmf & 0x0f) === 8 && cmf >> 4 <= 7 && (cmf * 256 + flg) % 31 === 0;
}

/**
 * Decompresses `bytes` to at most `limit` bytes: PRX_REQ_TOO_LARGE beyond it (zlib stops there,
 * `maxOutputLength`), PRX_REQ_BAD_ENCODING when the bytes are not what the coding says. `deflate` accepts
 * the zlib format HTTP specifies and the raw format some clients send.
 */
export async function decodeContent(bytes: Buffer, coding: ContentCoding, limit: number): Promise<Buffer> {
  if (coding === "identity") {
    if (bytes.length > limit) throw proxyError("PRX_REQ_TOO_LARGE");
    return bytes;
  }
  const options = { maxOutputLength: limit };
  try {
    if (coding === "gzip") return await gunzip(bytes, options);
    if (coding === "br") return await brotliDecompress(bytes, options);
    return hasZlibHeader(bytes) ? await inflate(bytes, options) : await inflateRaw(bytes, options);
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    if (code === "ERR_BUFFER_TOO_LARGE") throw proxyError("PRX_REQ_TOO_LARGE", { cause: err });
    throw proxyError("PRX_REQ_BAD_ENCODING", { cause: err });
  }
}

/** Reads a whole stream of at most `limit` bytes (PRX_REQ_TOO_LARGE as soon as it holds more). */
function readBounded(stream: Readable, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const cleanup = (): void => {
      stream.off("data", onData);
      stream.off("end", onEnd);
      stream.off("error", onError);
      stream.off("aborted", onAborted);
      stream.off("close", onAborted);
    };
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      if (received > limit) {
        cleanup();
        // Keep the socket readable so the 413 reaches the client; nothing more is kept.
        stream.resume();
        reject(proxyError("PRX_REQ_TOO_LARGE"));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks, received));
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(proxyError("PRX_REQ_CLIENT_CLOSED", { cause: err }));
    };
    const onAborted = (): void => onError(new Error("aborted"));
    stream.on("data", onData);
    stream.on("end", onEnd);
    stream.on("error", onError);
    stream.on("aborted", onAborted);
    // A connection that closes before the body ended (whichever of these events the stream emits).
    stream.on("close", onAborted);
  });
}

/**
 * Reads a request body as text: at most `limit` bytes as sent (a declared larger Content-Length is refused
 * before reading), its content coding undone into at most `limit` bytes, then UTF-8 decoded. A body shorter
 * or longer than its Content-Length is PRX_REQ_INVALID_BODY.
 */
export async function readRequestText(
  stream: Readable,
  headers: IncomingHttpHeaders,
  limit: number,
): Promise<string> {
  const coding = contentCodingOf(headers["content-encoding"]);
  const declared = headers["content-length"];
  const length = declared === undefined ? undefined : Number(declared);
  if (length !== undefined && length > limit) throw proxyError("PRX_REQ_TOO_LARGE");
  const raw = await readBounded(stream, limit);
  if (length !== undefined && headers["transfer-encoding"] === undefined && raw.length !== length)
    throw proxyError("PRX_REQ_INVALID_BODY");
  return (await decodeContent(raw, coding, limit)).toString("utf8");
}

/**
 * Makes `application/json` the only body type the root instance parses (read by {@link readRequestText}
 * within the route's `bodyLimit`, else `defaultLimit`, then parsed by `parseJsonBody`). What goes upstream
 * is re-serialised identity JSON, so the client's `Content-Encoding` is dropped from the request.
 */
export function registerJsonBodyParser(app: AppInstance, defaultLimit: number): void {
  app.removeContentTypeParser(["application/json", "text/plain"]);
  app.addContentTypeParser("application/json", (request, payload, done) => {
    const limit = request.routeOptions.bodyLimit ?? defaultLimit;
    readRequestText(payload, request.headers, limit).then(
      (text) => {
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
}
