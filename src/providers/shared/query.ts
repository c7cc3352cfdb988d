/**
 * The query string of a redacted route is redacted like the body: every parameter name and value is a text
 * slot (rules and known values), and the URL is rebuilt only when one changed, so an ordinary query
 * (`api-version=2024-06-01`) goes upstream byte for byte.
 */
import type { TextSlot } from "./slots.js";

export interface QuerySlots {
  readonly slots: TextSlot[];
  /** The request target to forward: the original when no slot changed. */
  target(): string;
}

/** Slots for the query of `url` (a request target such as `/v1/chat/completions?x=1`). */
export function querySlots(url: string): QuerySlots {
  const q = url.indexOf("?");
  if (q === -1 || q === url.length - 1) return { slots: [], target: () => url };
  const path = url.slice(0, q);
  const params = [...new URLSearchParams(url.slice(q + 1))].map(([name, value]) => ({ name, value }));
  let changed = false;
  const slots: TextSlot[] = [];
  for (const p of params) {
    for (const field of ["name", "value"] as const) {
      if (p[field].length === 0) continue;
      slots.push({
        text: p[field],
        role: "user",
        detect: "light",
        set: (text) => {
          if (text === p[field]) return;
          p[field] = text;
          changed = true;
        },
      });
    }
  }
  return {
    slots,
    target: () => {
      if (!changed) return url;
      const rebuilt = new URLSearchParams();
      for (const p of params) rebuilt.append(p.name, p.value);
      return `${path}?${rebuilt.toString()}`;
    },
  };
}
