import { describe, expect, it } from "vitest";
import { ChannelRestorers } from "../../../../src/providers/shared/channels.js";
import { indexOf } from "../../../helpers/index-of.js";

const index = indexOf({ "<Email_2>": 'q"uote@x.io' });

describe("ChannelRestorers", () => {
  it("keeps one restorer per channel, JSON-escaping only JSON channels", () => {
    const channels = new ChannelRestorers(index);
    expect(channels.push("a", "x <Email_2> y")).toBe('x q"uote@x.io y');
    expect(channels.push("b", '"<Email_2>"', true)).toBe('"q\\"uote@x.io"');
    expect(channels.restored).toBe(2);
  });

  it("flushes what a channel holds as it is and counts what was restored", () => {
    const channels = new ChannelRestorers(index);
    expect(channels.push("a", "mail <Email_2")).toBe("mail ");
    expect(channels.flush("a")).toBe("<Email_2");
    expect(channels.restored).toBe(0);
    expect(channels.push("b", "<Email_2> [Email_")).toBe('q"uote@x.io ');
    expect(channels.flushPrefix("")).toEqual([["b", "[Email_"]]);
    expect(channels.restored).toBe(1);
  });
});
