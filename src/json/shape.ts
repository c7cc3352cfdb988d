/**
 * JSON text checked before it is trusted: nesting depth and element count bounded on the text itself (a deep
 * body would otherwise overflow the stack in JSON.parse or in any walk after it), then parsed with
 * prototype-poisoning protection. Pure: used by the server's body parser and by the adapters' coverage walk.
 */
import { proxyError } from "../errors/catalogue.js";

/** Bounds of a JSON text. */
export interface JsonLimits {
  readonly maxDepth: number;
  /** Maximum count of values (array elements and object members together). */
  readonly maxElements: number;
}

/** Limits of a request body: 128 levels, a million values. */
export const DEFAULT_JSON_LIMITS: JsonLimits = { maxDepth: 128, maxElements: 1_000_000 };

/** Throws PRX_REQ_TOO_DEEP when the JSON text nests deeper or holds more elements than allowed. */
export function checkJsonShape(text: string, limits: JsonLimits = DEFAULT_JSON_LIMITS): void {
  let depth = 0;
  let elements = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limits.maxDepth) throw proxyError("PRX_REQ_TOO_DEEP");
    } else if (c === 0x5d || c === 0x7d) depth--;
    else if (c === 0x2c && ++elements > limits.maxElements) throw proxyError("PRX_REQ_TOO_DEEP");
  }
}

/** Parses a JSON body: shape check, then JSON.parse rejecting `__proto__` and `constructor.prototype` keys. */
export function parseJsonBody(text: string, limits: JsonLimits = DEFAULT_JSON_LIMITS): unknown {
  if (text.trim().length === 0) throw proxyError("PRX_REQ_INVALID_JSON");
  checkJsonShape(text, limits);
  let parsed: unknown;
  try {
    // The reviver costs a call per value: only pay for it when a dangerous key can be present at all
    // (spelled out, or hidden behind \u escapes).
    if (!text.includes("\\u") && !text.includes("__proto__") && !text.includes("constructor")) {
      return JSON.parse(text) as unknown;
    }
    parsed = JSON.parse(text, (key, value: unknown) => {
      if (key === "__proto__") throw new SyntaxError("forbidden key");
      if (key === "constructor" && value !== null && typeof value === "object" && "prototype" in value) {
        throw new SyntaxError("forbidden key");
      }
      return value;
    });
  } catch (err) {
    throw proxyError("PRX_REQ_INVALID_JSON", { cause: err });
  }
  return parsed;
}
