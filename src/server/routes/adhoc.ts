/**
 * Ad-hoc redaction (README "Endpoints"): `POST /v1/redact` `{text, levels?, mode?, user_name?, include_originals?}`
 * → `{text, spans}` and `POST /v1/restore` `{text}` → `{text}`, in the caller's scope.
 */
import { z } from "zod";
import { MODES } from "../../config/schema.js";
import { proxyError } from "../../errors/catalogue.js";
import { parseWireRequest } from "../../providers/shared/adapter.js";
import { redactOneText } from "../../redaction/adhoc.js";
import { restoreText } from "../../redaction/restore.js";
import { parseLevelSelection, type PrivacyLevel } from "../../taxonomy/levels.js";
import type { ProxyContext } from "../context.js";
import type { AppInstance } from "../types.js";

const MAX_TEXT = 4 * 1024 * 1024;

/** Wire schema of `POST /v1/redact`. */
export const RedactRequestBody = z.object({
  text: z.string().max(MAX_TEXT),
  levels: z.union([z.string(), z.array(z.string())]).optional(),
  mode: z.enum(MODES).optional(),
  user_name: z.string().max(256).optional(),
  include_originals: z.boolean().optional(),
});

/** Wire schema of `POST /v1/restore`. */
export const RestoreRequestBody = z.object({ text: z.string().max(MAX_TEXT) });

function levelsOf(
  value: string | string[] | undefined,
  fallback: readonly PrivacyLevel[],
): readonly PrivacyLevel[] {
  if (value === undefined) return fallback;
  const parsed = parseLevelSelection(Array.isArray(value) ? value.join(",") : value);
  if (parsed === undefined) throw proxyError("PRX_REQ_INVALID_BODY", { detail: "levels" });
  return parsed;
}

/** Registers the ad-hoc routes. */
export function registerAdhocRoutes(app: AppInstance, ctx: ProxyContext): void {
  app.post("/v1/redact", async (request, reply) => {
    const body = parseWireRequest(RedactRequestBody, request.body);
    const scope = ctx.scopeOf(request);
    const policy = {
      ...ctx.policy,
      levels: levelsOf(body.levels, ctx.policy.levels),
      ...(body.mode === undefined ? {} : { mode: body.mode }),
    };
    const controller = ctx.abortOnClose(request, reply);
    const { text, spans, outcome } = await redactOneText(ctx.redactor, {
      text: body.text,
      scope,
      policy,
      userName: body.user_name ?? ctx.userNameOf(request),
      signal: controller.signal,
      includeOriginals: body.include_originals === true,
    });
    ctx.noteRedaction(request, outcome);
    return { text, spans };
  });

  app.post("/v1/restore", async (request) => {
    const body = parseWireRequest(RestoreRequestBody, request.body);
    const index = await ctx.redactor.scopeIndex(ctx.scopeOf(request));
    const result = restoreText(body.text, index);
    return { text: result.text, restored: result.restored };
  });
}
