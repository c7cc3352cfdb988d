import { describe, expect, it } from "vitest";
import { restoreResponsesResponse } from "../../../../src/providers/openai-responses/response.js";
import { indexOf } from "../../../helpers/index-of.js";
import { functionCallItem, messageItem, responseObject } from "../../../helpers/responses-mock.js";

const index = indexOf({ "<Email_2>": 'q"uote@x.io', "<Phone_Number_1>": "13800138000" });

describe("restoreResponsesResponse", () => {
  it("restores message text and function-call arguments (inside the JSON string) of the recorded response", () => {
    const body = responseObject([
      messageItem("Mail <Email_2> or [phone number 1]"),
      functionCallItem("f", '{"to":"<Email_2>"}'),
    ]);
    expect(restoreResponsesResponse(body, index)).toBe(3);
    const output = body.output as Record<string, unknown>[];
    expect((output[0]?.content as { text: string }[])[0]?.text).toBe('Mail q"uote@x.io or 13800138000');
    expect(JSON.parse(output[1]?.arguments as string)).toEqual({ to: 'q"uote@x.io' });
    expect(body.usage).toMatchObject({ total_tokens: 123 });
  });

  it("restores refusals and the output_text convenience field; leaves reasoning alone", () => {
    const body = {
      output_text: "<Email_2>",
      output: [
        { type: "reasoning", summary: [{ type: "summary_text", text: "<Email_2>" }] },
        { type: "message", content: [{ type: "refusal", refusal: "not <Email_2>" }] },
      ],
    };
    expect(restoreResponsesResponse(body, index)).toBe(2);
    expect(body.output_text).toBe('q"uote@x.io');
    expect(body.output[0]).toEqual({
      type: "reasoning",
      summary: [{ type: "summary_text", text: "<Email_2>" }],
    });
    expect(body.output[1]?.content?.[0]?.refusal).toBe('not q"uote@x.io');
  });

  it("ignores what is not a response", () => {
    expect(restoreResponsesResponse(undefined, index)).toBe(0);
    expect(restoreResponsesResponse({ output: "x" }, index)).toBe(0);
  });
});
