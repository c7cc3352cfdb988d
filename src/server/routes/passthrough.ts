/**
 * Passthrough for every other path (`/v1/models`, files, …), one per API family over the paths it answers
 * (src/server/plugins/api-family.ts): forwarded with streaming bodies in both directions, allow-listed
 * request headers only, no cookie or CORS header back (src/upstream/headers.ts).
 *
 * Nothing here is redacted, so a request that carries a body (an upload, a batch, text to speak, audio)
 * is refused unless `passthroughBodies` is `forward`: the cloud must not see raw values by default.
 */
import type { IncomingHttpHeaders } from "node:http";
import { proxyError } from "../../errors/catalogue.js";
import type { ProxyContext } from "../context.js";
import type { AppInstance } from "../types.js";
import type { ApiFamily } from "../../providers/shared/family.js";
import { BODY_HEADERS, clientHeaders } from "../../upstream/headers.js";
import { upstreamRequestHeaders } from "../forwarding.js";
import type { Readable } from "node:stream";

/** Whether a request announces a body: a non-zero length, or a chunked (or other) transfer coding. */
export function carriesBody(headers: IncomingHttpHeaders): boolean {
  if (headers["transfer-encoding"] !== undefined) return true;
  const length = headers["content-length"];
  return length !== undefined && length.trim() !== "0";
}

/**
 * The path of `url` fully decoded and checked, or undefined when it does not normalise to one meaning:
 * bad percent-encoding, anything still percent-encoded after one decoding (`%252e` → `%2e`), dot segments
 * (`.`, `..`, also as `%2e%2e`), empty segments (`//`), encoded or plain (back)slashes inside a segment,
 * control characters, a `#`. Such a path is read differently by different servers, so it never matches a
 * configured path.
 */
export function normalisedPath(url: string): string | undefined {
  const q = url.indexOf("?");
  const raw = q === -1 ? url : url.slice(0, q);
  // An encoded slash or backslash splits segments for some servers and not for others.
  if (!raw.startsWith("/") || /%2f|%5c/i.test(raw)) return undefined;
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    return undefined;
  }
  if (/[%\\#\u0000-\u001f\u007f]/.test(path)) return undefined;
  const segments = path.slice(1).split("/");
  // A trailing slash is one empty last segment; any other empty segment is `//`.
  const inner = segments.at(-1) === "" ? segments.slice(0, -1) : segments;
  if (inner.some((s) => s === "" || s === "." || s === "..")) return undefined;
  return path;
}

/**
 * Whether `url`'s path is one of `paths` or lies below one (`/v1/audio` covers `/v1/audio/speech`), compared
 * on the fully decoded path (see {@link normalisedPath}): `/v1/audio/../files`, `/v1/audio/%2e%2e/files`
 * and `/v1/audio/%252e%252e/files` never pass as audio.
 */
export function bodyPathAllowed(url: string, paths: readonly string[]): boolean {
  const path = normalisedPath(url);
  if (paths.length === 0 || path === undefined) return false;
  return paths.some((p) => {
    const prefix = p.length > 1 && p.endsWith("/") ? p.slice(0, -1) : p;
    return path === prefix || path.startsWith(prefix === "/" ? "/" : `${prefix}/`);
  });
}

/** Where a family's passthrough answers: a route pattern, the methods left to other routes, the target. */
export interface PassthroughMount {
  /** Route pattern (`/v1/messages`, `/v1/messages/*`, `/*`). */
  readonly url: string;
  /** What goes before the request URL upstream: `/v1` for an unversioned path. */
  readonly upstreamPrefix: string;
  /** Methods another route of the family serves at exactly this pattern. */
  readonly except: readonly string[];
}

/**
 * Registers the passthrough of `family` at `mounts`, in its own encapsulated context (its raw content-type
 * parser must not reach the redacting routes). The family decides base URL and injected credential.
 */
export async function registerPassthrough(
  app: AppInstance,
  ctx: ProxyContext,
  family: ApiFamily,
  mounts: readonly PassthroughMount[],
): Promise<void> {
  await app.register(async (scoped) => {
    scoped.removeAllContentTypeParsers();
    scoped.addContentTypeParser("*", (_request, payload, done) => done(null, payload));
    for (const mount of mounts) {
      const method = scoped.supportedMethods.filter((m) => !mount.except.includes(m));
      scoped.route({
        method,
        url: mount.url,
        handler: async (request, reply) => {
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
          // Allow-listed headers only, the body's own where a body may go, and the family's credential.
          const headers = upstreamRequestHeaders(request, ctx.config, family, {
            identity: false,
            extra: hasBody ? BODY_HEADERS : [],
          });
          const res = await ctx.upstream.request({
            url: `${family.baseUrl(ctx.config)}${mount.upstreamPrefix}${request.url}`,
            method: request.method,
            headers,
            body: hasBody ? ((request.body as Readable | undefined) ?? null) : null,
            signal: controller.signal,
          });
          request.facts.upstreamStatus = res.statusCode;
          reply.code(res.statusCode);
          reply.headers(clientHeaders(res.headers, ["content-length"]));
          return reply.send(res.body);
        },
      });
    }
  });
}
