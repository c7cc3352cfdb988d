// The whole redaction of a request runs under its deadline and yields to the event loop in slices: driven with
// a fake clock (no timed test), a huge request yields turns, finishes intact under a generous deadline, and past
// its deadline fails closed with nothing allocated and nothing broken for later requests.
import { describe, expect, it } from "vitest";
import { isProxyError } from "../../../src/errors/catalogue.js";
import { Deadline, SLICE_MS, type DeadlineClock } from "../../../src/redaction/deadline.js";
import { createRedactor } from "../../../src/redaction/pipeline.js";
import type { Policy } from "../../../src/redaction/policy.js";
import { restoreText } from "../../../src/redaction/restore.js";
import { createMemoryVault } from "../../../src/vault/memory-vault.js";
import { scriptedDetector } from "../../helpers/detectors.js";

const policy: Policy = { levels: ["PL2", "PL3", "PL4"], mode: "type_specific", allow: [], deny: [] };

/** A clock that moves `perRead` ms at each reading and `perTurn` ms at each yielded turn; counts turns. */
function fakeClock(perRead: number, perTurn: number): DeadlineClock & { turns: number; frozen: boolean } {
  let t = 0;
  const clock = {
    turns: 0,
    frozen: false,
    now: () => (clock.frozen ? t : (t += perRead)),
    turn: async () => {
      clock.turns++;
      if (!clock.frozen) t += perTurn;
      await new Promise<void>((resolve) => setImmediate(resolve));
    },
  };
  return clock;
}

const PHONE = "13800138000";
const page = (n: number): string => `${PHONE} `.repeat(n);

describe("the redaction deadline", () => {
  it("asks for a turn only after a slice's worth of clock, and throws once past the deadline", async () => {
    const clock = fakeClock(0, 0);
    let t = 0;
    const manual: DeadlineClock = { now: () => t, turn: () => clock.turn() };
    const deadline = new Deadline(100, manual);
    let due = 0;
    for (let i = 0; i < 10_000; i++) if (deadline.due()) due++;
    expect(due).toBe(0); // the clock did not move: no slice is over
    t = SLICE_MS;
    for (let i = 0; i < 10_000; i++) if (deadline.due()) due++;
    expect(due).toBeGreaterThan(0);
    await deadline.pause();
    expect(deadline.turns).toBe(1);
    expect(deadline.remainingMs()).toBe(100 - SLICE_MS);
    t = 100;
    expect(() => deadline.check()).toThrow();
    const err = await deadline.pause().catch((e: unknown) => e);
    expect(isProxyError(err, "PRX_DETECT_TIMEOUT")).toBe(true);
  });

  it("ends with PRX_DETECT_ABORTED when the client goes away", () => {
    const client = new AbortController();
    const deadline = new Deadline(1000, fakeClock(0, 0), client.signal);
    deadline.check();
    client.abort();
    let err: unknown;
    try {
      deadline.check();
    } catch (e) {
      err = e;
    }
    expect(isProxyError(err, "PRX_DETECT_ABORTED")).toBe(true);
  });

  it("yields turns over a page of 20,000 phone numbers and still masks every one of them", async () => {
    const clock = fakeClock(SLICE_MS, 1);
    const detector = scriptedDetector([{ value: PHONE, type: "Phone Number", level: "PL3" }]);
    const r = createRedactor({ detector, vault: createMemoryVault(), detectTimeoutMs: 1e9, clock });
    const text = page(20_000);
    const out = await r.redact({ items: [{ text }], scope: "s", policy });
    expect(clock.turns).toBeGreaterThan(20); // occurrences, allocation, substitution and the index each slice
    expect(out.texts[0]).toBe("<Phone_Number_1> ".repeat(20_000));
    expect(out.counts.PL3).toBe(20_000);
    expect(out.sent).toEqual(["phone_number_1"]);
    expect(restoreText(out.texts[0] ?? "", out.index).text).toBe(text);
  });

  it("fails closed past the deadline after detection: nothing allocated, later requests unharmed", async () => {
    // Detection answers at once; the clock passes the deadline while the spans are being resolved.
    const clock = fakeClock(SLICE_MS, 400);
    const vault = createMemoryVault();
    const detector = scriptedDetector([{ value: PHONE, type: "Phone Number", level: "PL3" }]);
    const r = createRedactor({ detector, vault, detectTimeoutMs: 1000, clock });
    const err = await r
      .redact({ items: [{ text: page(20_000) }], scope: "s", policy })
      .catch((e: unknown) => e);
    expect(isProxyError(err, "PRX_DETECT_TIMEOUT")).toBe(true);
    expect(clock.turns).toBeGreaterThan(0);
    expect((await vault.stats("s")).entries).toBe(0);

    clock.frozen = true;
    const out = await r.redact({ items: [{ text: `call ${PHONE} now` }], scope: "s", policy });
    expect(out.texts[0]).toBe("call <Phone_Number_1> now");
    expect(restoreText(out.texts[0] ?? "", out.index).text).toBe(`call ${PHONE} now`);
  });

  it("fails closed when the deadline passes during substitution, after the vault's atomic write", async () => {
    // A clock that only moves once the vault has answered: the write is whole, the request still fails.
    let t = 0;
    let moving = false;
    const vault = createMemoryVault();
    const allocate = vault.allocate.bind(vault);
    vault.allocate = async (...args) => {
      const entries = await allocate(...args);
      moving = true;
      return entries;
    };
    const clock: DeadlineClock = {
      now: () => (moving ? (t += 300) : t),
      turn: () => new Promise<void>((resolve) => setImmediate(resolve)),
    };
    const detector = scriptedDetector([{ value: PHONE, type: "Phone Number", level: "PL3" }]);
    const r = createRedactor({ detector, vault, detectTimeoutMs: 1000, clock });
    const err = await r
      .redact({ items: [{ text: page(20_000) }], scope: "s", policy })
      .catch((e: unknown) => e);
    expect(isProxyError(err, "PRX_DETECT_TIMEOUT")).toBe(true);
    moving = false;
    const out = await r.redact({ items: [{ text: `again ${PHONE}` }], scope: "s", policy });
    expect(out.texts[0]).toBe("again <Phone_Number_1>");
  });

  it("finds values across the edges of the windows a large text is matched in", async () => {
    const detector = scriptedDetector([{ value: PHONE, type: "Phone Number", level: "PL3" }]);
    const r = createRedactor({
      detector,
      vault: createMemoryVault(),
      detectTimeoutMs: 1e9,
      clock: fakeClock(0, 0),
    });
    const filler = (n: number): string => "z ".repeat(n / 2);
    // 65,536 characters per window: each value below straddles the first edge (starts at 65,531 or 65,532).
    const edge = `${" ".repeat(65_531)}${PHONE} end`;
    const out = await r.redact({
      items: [{ text: PHONE }, { text: edge, detect: false }],
      scope: "s",
      policy,
    });
    expect(out.texts[1]?.endsWith(" <Phone_Number_1> end")).toBe(true);
    // The same edge for a value the scope knows (no detection on this text).
    const known = `${filler(65_530)}x ${PHONE} done`;
    const again = await r.redact({ items: [{ text: known, detect: false }], scope: "s", policy });
    expect(again.texts[0]?.endsWith("x <Phone_Number_1> done")).toBe(true);
  });
});
