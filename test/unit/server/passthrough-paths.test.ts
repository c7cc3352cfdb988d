/** `passthroughBodyPaths` matching on the fully decoded path: what does not normalise never matches. */
import { describe, expect, it } from "vitest";
import { bodyPathAllowed, normalisedPath } from "../../../src/server/routes/passthrough.js";

const PATHS = ["/v1/audio", "/v1/uploads/"];

describe("bodyPathAllowed", () => {
  it.each([
    "/v1/audio",
    "/v1/audio/speech",
    "/v1/audio/transcriptions?model=x",
    "/v1/%61udio/speech",
    "/v1/uploads/up_1/parts",
    "/v1/audio/",
  ])("lets %s through", (url) => {
    expect(bodyPathAllowed(url, PATHS)).toBe(true);
  });

  it.each([
    "/v1/files",
    "/v1/audiox",
    "/v1/audio/../files",
    "/v1/audio/./speech",
    "/v1/audio/%2e%2e/files",
    "/v1/audio/%2E%2e%2Ffiles",
    "/v1/audio/%252e%252e/files",
    "/v1/audio%2f..%2ffiles",
    "/v1/audio/..%5cfiles",
    "/v1/audio\\..\\files",
    "/v1/audio//speech",
    "/v1/audio/%zz",
    "/v1/audio/%00",
    "/v1/audio/a%23b",
    "//v1/audio",
    "http://evil.example/v1/audio",
    "*",
  ])("refuses %s", (url) => {
    expect(bodyPathAllowed(url, PATHS)).toBe(false);
  });

  it("matches nothing when no path is configured", () => {
    expect(bodyPathAllowed("/v1/audio", [])).toBe(false);
  });
});

describe("normalisedPath", () => {
  it("decodes once and keeps the query out", () => {
    expect(normalisedPath("/v1/%61udio/x?q=%2e%2e")).toBe("/v1/audio/x");
    expect(normalisedPath("/")).toBe("/");
    expect(normalisedPath("/v1/files/file-1/content")).toBe("/v1/files/file-1/content");
  });
});
