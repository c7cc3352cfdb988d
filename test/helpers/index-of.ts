/** Test helper: builds a ScopeIndex from plain (placeholder, value) pairs. */
import { ScopeIndex } from "../../src/redaction/scope-index.js";
import type { VaultEntry } from "../../src/vault/vault.js";

/** `indexOf({"<Email_1>": "a@b.co"})` → an index with those entries. */
export function indexOf(map: Record<string, string>): ScopeIndex {
  const entries: VaultEntry[] = Object.entries(map).map(([placeholder, value]) => {
    const m = /^<(.+)_(\d+)>$/.exec(placeholder);
    if (m?.[1] === undefined || m[2] === undefined) throw new Error(`bad placeholder ${placeholder}`);
    return {
      placeholder,
      key: `${m[1].toLowerCase()}_${m[2]}`,
      name: m[1],
      n: Number(m[2]),
      type: m[1],
      level: "PL2",
      value,
    };
  });
  return new ScopeIndex(entries);
}
