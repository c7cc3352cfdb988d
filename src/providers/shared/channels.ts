/**
 * One stream restorer per channel of a streamed response (choice × content / tool call, content block…),
 * created on first use; shared by every protocol's stream mapper.
 */
import type { RestoreOptions } from "../../redaction/restore.js";
import type { ScopeIndex } from "../../redaction/scope-index.js";
import { StreamRestorer } from "../../redaction/stream-restorer.js";

export class ChannelRestorers {
  readonly #index: ScopeIndex;
  readonly #channels = new Map<string, StreamRestorer>();
  #restoredBefore = 0;

  constructor(index: ScopeIndex) {
    this.#index = index;
  }

  /** Restores a fragment of channel `key`; `json` as for {@link restoreText} (fixed by the first push). */
  push(key: string, fragment: string, json: RestoreOptions["json"] = false): string {
    let r = this.#channels.get(key);
    if (r === undefined) {
      r = new StreamRestorer(this.#index, { json });
      this.#channels.set(key, r);
    }
    return r.push(fragment);
  }

  /** Flushes and forgets one channel; returns what it held. */
  flush(key: string): string {
    const r = this.#channels.get(key);
    if (r === undefined) return "";
    this.#channels.delete(key);
    // Count after flushing: the held tail may itself complete a placeholder.
    const text = r.flush();
    this.#restoredBefore += r.restored;
    return text;
  }

  /** Flushes every channel whose key starts with `prefix` (all when empty), in creation order. */
  flushPrefix(prefix = ""): [string, string][] {
    const out: [string, string][] = [];
    for (const key of [...this.#channels.keys()]) {
      if (key.startsWith(prefix)) {
        const text = this.flush(key);
        if (text.length > 0) out.push([key, text]);
      }
    }
    return out;
  }

  /** Placeholders restored so far on every channel. */
  get restored(): number {
    let n = this.#restoredBefore;
    for (const r of this.#channels.values()) n += r.restored;
    return n;
  }
}
