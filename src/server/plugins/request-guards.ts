/**
 * The hooks every request passes, whatever route answers it (registered on the root instance, so they
 * reach every plugin): an origin-form target, the boundary (Host 421, then Origin 403; OPTIONS answered
 * there), then the optional proxy token; and on the way out, no upstream header that acts on the proxy's
 * own origin. Also the request's value-free facts, set fresh per request.
 */
import type { Config } from "../../config/schema.js";
import { proxyError } from "../../errors/catalogue.js";
import { API_FAMILIES } from "../../providers/families.js";
import { hasProxyToken } from "../auth.js";
import { checkBoundary, guardResponseHeaders, isOriginFormTarget } from "../boundary.js";
import type { RequestFacts } from "../context.js";
import { uiAdmitsRequest } from "../routes/ui.js";
import type { AppInstance } from "../types.js";

/** Routes that answer without the proxy token. */
const OPEN_ROUTES = new Set(["/healthz", "/readyz"]);

/** Registers the request guards on the root instance `app`. */
export function registerRequestGuards(app: AppInstance, config: Config): void {
  // A caller with an injected key need not send one: a bare `Authorization: Bearer <token>` is then the token.
  const injected = API_FAMILIES.some((family) => family.injectsCredential(config));
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
    if (token === undefined || OPEN_ROUTES.has(path) || uiAdmitsRequest(config, request.method, request.url))
      return;
    if (!hasProxyToken(request.headers, token, injected)) throw proxyError("PRX_AUTH_MISSING_TOKEN");
  });
  // Whatever a route copied from an upstream: no Set-Cookie, and CORS headers only as the boundary chose.
  app.addHook("onSend", async (request, reply, payload) => {
    guardResponseHeaders(request, reply);
    return payload;
  });
}
