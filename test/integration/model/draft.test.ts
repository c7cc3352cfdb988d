/**
 * Copy-fast generation on the tiny model: drafting from the message (input-lookup speculative decoding)
 * never changes the answer — greedy decoding yields the same tokens with and without it — while drafts are
 * actually proposed and checked.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadEngine } from "../../../src/detection/model/engine.js";
import type { Engine } from "../../../src/detection/model/engine.js";
import { generate } from "../../../src/detection/model/generate.js";
import { DEFAULT_INSTRUCTIONS } from "../../../src/detection/model/instructions.js";
import { promptPrefixPieces, promptSuffixPieces } from "../../../src/detection/model/prompt.js";
import { tinyGguf } from "../../fixtures/tiny-model/tiny-gguf.js";

vi.setConfig({ testTimeout: 120_000 });

const engines: Engine[] = [];
let work = "";

async function engine(draft: boolean): Promise<Engine> {
  const e = await loadEngine({
    modelPath: await tinyGguf(),
    gpu: false,
    sequences: 1,
    threads: 1,
    contextSize: 2048,
    prefix: promptPrefixPieces(DEFAULT_INSTRUCTIONS),
    identity: "draft-test",
    stateDir: undefined,
    draft,
  });
  engines.push(e);
  return e;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "memprivacy-draft-"));
});

afterAll(async () => {
  for (const e of engines) await e.model.dispose();
  await rm(work, { recursive: true, force: true });
});

describe("drafting from the message", () => {
  it("gives the same greedy answer, token for token, with and without drafts", async () => {
    const plain = await engine(false);
    const drafting = await engine(true);
    expect(plain.draft).toBe(false);
    expect(drafting.draft).toBe(true);
    const quote = plain.model.tokenize('"', false);
    const messages = [
      'Please email "Priya Raman" at priya.raman@example.org, password "hunter2", PIN 4471.',
      "张伟的手机号是13800138000，住在北京市朝阳区。",
      "Quoted:",
    ];
    let accepted = 0;
    let rejected = 0;
    for (const [i, text] of messages.entries()) {
      const [fields, tail] = promptSuffixPieces(text, "Priya Raman", "user").map((p) =>
        plain.model.tokenize(p.text, p.special),
      );
      // The last message holds a run of single-quote tokens: what the tiny model likes to write, so drafts
      // from it are accepted as well as refuted.
      const run = i === messages.length - 1 ? Array.from({ length: 40 }, () => quote).flat() : [];
      const suffix = [...(fields ?? []), ...run, ...(tail ?? [])];
      const signal = new AbortController().signal;
      for (const grammar of [true, false]) {
        const a = await generate(plain, plain.sequences[0]!, suffix, 64, signal, { greedy: true, grammar });
        const b = await generate(drafting, drafting.sequences[0]!, suffix, 64, signal, {
          greedy: true,
          grammar,
        });
        expect(a.tokens.length).toBeGreaterThan(1);
        expect(b.tokens).toEqual(a.tokens);
        expect(b.text).toBe(a.text);
        expect(a.draftsAccepted + a.draftsRejected).toBe(0);
        accepted += b.draftsAccepted;
        rejected += b.draftsRejected;
      }
    }
    // The predictor ran: drafts were proposed, and the model both confirmed and refuted some.
    expect(accepted).toBeGreaterThan(0);
    expect(rejected).toBeGreaterThan(0);
  });
});
