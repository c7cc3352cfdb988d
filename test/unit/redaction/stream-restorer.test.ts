import { describe, expect, it } from "vitest";
import { restoreText } from "../../../src/redaction/restore.js";
import { ScopeIndex } from "../../../src/redaction/scope-index.js";
import { StreamRestorer } from "../../../src/redaction/stream-restorer.js";
import { indexOf } from "../../helpers/index-of.js";

const index = indexOf({ "<Phone_Number_1>": "13800138000", "<Email_12>": "a@b.co" });

function run(chunks: string[]): { out: string[]; all: string } {
  const r = new StreamRestorer(index);
  const out = chunks.map((c) => r.push(c));
  out.push(r.flush());
  return { out, all: out.join("") };
}

describe("StreamRestorer", () => {
  it("restores a placeholder split across chunks", () => {
    expect(run(["Call <Pho", "ne_Num", "ber_1> now"]).all).toBe("Call 13800138000 now");
  });

  it("emits text that cannot start a placeholder at once", () => {
    const { out } = run(["Hello there, ", "how are you"]);
    expect(out[0]).toBe("Hello there, ");
  });

  it("holds back only a possible prefix", () => {
    const r = new StreamRestorer(index);
    expect(r.push("Write to <Ema")).toBe("Write to ");
    expect(r.pendingLength).toBe(4);
    expect(r.push("il_1")).toBe("");
    expect(r.push("2> ok")).toBe("a@b.co ok");
  });

  it("releases text as soon as it stops looking like a placeholder", () => {
    const r = new StreamRestorer(index);
    expect(r.push("<Emax")).toBe("<Emax");
    expect(r.push(" [Phone")).toBe(" ");
    expect(r.push(" calls")).toBe("[Phone calls");
    // without a bracket or emphasis nothing can start a placeholder
    expect(r.push(" Phone")).toBe(" Phone");
  });

  it("never restores a bare word, and flushes an unclosed placeholder as it is", () => {
    expect(run(["mail Email_1", "2"]).all).toBe("mail Email_12");
    expect(run(["mail [Email_1", "2"]).all).toBe("mail [Email_12");
    expect(run(["mail [Email_1", "2]"]).all).toBe("mail a@b.co");
  });

  it("never holds more than the longest placeholder", () => {
    const r = new StreamRestorer(index);
    r.push("<Phone Number " + "1".repeat(200));
    expect(r.pendingLength).toBeLessThanOrEqual(index.maxPlaceholderLength);
  });

  it("gives the same result as restoring the whole text", () => {
    const text = "<Phone_Number_1>,[email 12] and Email_12.";
    for (let i = 0; i <= text.length; i++) {
      expect(run([text.slice(0, i), text.slice(i)]).all).toBe(restoreText(text, index).text);
    }
  });

  it("restores inside JSON text after an escape, however the chunks fall", () => {
    // Go encoders write < and > as \u003c and \u003e inside JSON strings.
    const raw = '{"a":"x\\n<Email_12> y \\u003cEmail_12\\u003e"}';
    const whole = restoreText(raw, index, { json: true }).text;
    expect(JSON.parse(whole)).toEqual({ a: "x\na@b.co y a@b.co" });
    for (let i = 0; i <= raw.length; i++) {
      const r = new StreamRestorer(index, { json: true });
      expect(r.push(raw.slice(0, i)) + r.push(raw.slice(i)) + r.flush()).toBe(whole);
    }
  });
});

describe("StreamRestorer with numbers", () => {
  it("gives a value the client sent as a JSON number back as that number, however the chunks fall", () => {
    const base = indexOf({ "<Phone_Number_1>": "13800138000", "<Email_12>": "a@b.co" });
    const numeric = new ScopeIndex(base.entries, { numeric: new Set(["phone_number_1"]) });
    const raw = '{"phone":"<Phone_Number_1>","mail":"<Email_12>","note":"call <Phone_Number_1>"}';
    const whole = restoreText(raw, numeric, { json: true }).text;
    expect(JSON.parse(whole)).toEqual({ phone: 13800138000, mail: "a@b.co", note: "call 13800138000" });
    for (let i = 0; i <= raw.length; i++) {
      const r = new StreamRestorer(numeric, { json: true });
      expect(r.push(raw.slice(0, i)) + r.push(raw.slice(i)) + r.flush()).toBe(whole);
    }
  });
});
