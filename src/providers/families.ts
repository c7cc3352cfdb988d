/**
 * The API families the proxy serves, and which one a request path belongs to. A new family is one folder
 * (`src/providers/<family>/family.ts` with its adapters) and one entry in `API_FAMILIES`.
 */
import { anthropicFamily } from "./anthropic/family.js";
import { openAIFamily } from "./openai/family.js";
import { claimsPath, type ApiFamily } from "./shared/family.js";

/** Every family, the default (which claims no path of its own and answers the rest) first. */
export const API_FAMILIES: readonly ApiFamily[] = [openAIFamily, anthropicFamily];

/** The family that answers every path no other family claims. */
export const DEFAULT_FAMILY: ApiFamily = openAIFamily;

/** The family `url` belongs to, with or without the `/v1` prefix; the default family for any other path. */
export function familyOf(url: string): ApiFamily {
  return API_FAMILIES.find((f) => claimsPath(f, url)) ?? DEFAULT_FAMILY;
}
