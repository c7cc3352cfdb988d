/**
 * One API family (src/providers/shared/family.ts) as one encapsulated fastify plugin: its redacting
 * endpoints (each also at its unversioned path), the routes of its own the server adds, and the passthrough
 * for its paths — the default family's passthrough takes every path no other family claims. The plugin's
 * error handler renders every error of those routes, hooks included, in the family's shape, so no code
 * outside the family decides which shape a path gets. See docs/architecture.md, "How to add an API family".
 */
import type { ApiFamily } from "../../providers/shared/family.js";
import { unversionedPath } from "../../providers/shared/family.js";
import type { ProxyContext } from "../context.js";
import { errorHandler } from "../errors.js";
import { registerPassthrough, type PassthroughMount } from "../routes/passthrough.js";
import { registerRedactedRoute } from "../routes/redacted.js";
import type { AppInstance } from "../types.js";

/** Routes of one family that are neither redacting endpoints nor passthrough (Anthropic's batch results). */
export type FamilyRoutes = (app: AppInstance, ctx: ProxyContext, family: ApiFamily) => void;

/**
 * Where the family's passthrough answers: the default family everywhere else (`/*`); any other family at
 * each of its paths and below, in both forms, the unversioned one forwarded to the upstream's `/v1` path.
 * At a path itself, only the methods its redacting endpoint leaves free.
 */
function passthroughMounts(family: ApiFamily, isDefault: boolean): PassthroughMount[] {
  if (isDefault) return [{ url: "/*", upstreamPrefix: "", except: [] }];
  const redacted = new Set(family.endpoints.map((e) => e.path));
  return family.paths.flatMap((path) => {
    const except = redacted.has(path) ? ["POST"] : [];
    const bare = unversionedPath(path);
    return [
      { url: path, upstreamPrefix: "", except },
      { url: `${path}/*`, upstreamPrefix: "", except: [] },
      { url: bare, upstreamPrefix: "/v1", except },
      { url: `${bare}/*`, upstreamPrefix: "/v1", except: [] },
    ];
  });
}

/** Registers `family` in its own encapsulated context (its error handler applies to its routes only). */
export async function registerApiFamily(
  app: AppInstance,
  ctx: ProxyContext,
  family: ApiFamily,
  options: { readonly isDefault: boolean; readonly routes?: FamilyRoutes | undefined },
): Promise<void> {
  await app.register(async (scoped) => {
    scoped.setErrorHandler(errorHandler(() => family, ctx.metrics));
    for (const { path, adapter } of family.endpoints) {
      registerRedactedRoute(scoped, ctx, family, { path, adapter, upstreamPrefix: "" });
      // Also where SDKs send it when their base URL lacks /v1 (redacted too, forwarded to the upstream's /v1).
      registerRedactedRoute(scoped, ctx, family, {
        path: unversionedPath(path),
        adapter,
        upstreamPrefix: "/v1",
      });
    }
    options.routes?.(scoped, ctx, family);
    await registerPassthrough(scoped, ctx, family, passthroughMounts(family, options.isDefault));
  });
}
