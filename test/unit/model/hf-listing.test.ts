/** Hub listing parsing (revision and tree APIs) and the choice of files to download. */
import { describe, expect, it } from "vitest";
import { isNeededFile, parseListing } from "../../../src/model/hf-download.js";
import { ggufFileName, MODEL_ALIASES } from "../../../src/cli/pull.js";

const SHA256 = "a".repeat(64);
const SHA1 = "b".repeat(40);

describe("parseListing", () => {
  it("reads the revision API (siblings, blobs=true)", () => {
    expect(
      parseListing({
        siblings: [
          { rfilename: "config.json", size: 10, blobId: SHA1 },
          { rfilename: "model.safetensors", size: 99, lfs: { sha256: SHA256, size: 99, pointerSize: 134 } },
          { rfilename: "README.md" },
        ],
      }),
    ).toEqual([
      { path: "config.json", size: 10, sha256: undefined, blobSha1: SHA1 },
      { path: "model.safetensors", size: 99, sha256: SHA256, blobSha1: undefined },
      { path: "README.md", size: undefined, sha256: undefined, blobSha1: undefined },
    ]);
  });

  it("reads the tree API (lfs.oid) and skips directories", () => {
    expect(
      parseListing([
        { type: "directory", path: "onnx" },
        {
          type: "file",
          path: "model-00001-of-00002.safetensors",
          size: 5,
          oid: SHA1,
          lfs: { oid: SHA256, size: 5 },
        },
      ]),
    ).toEqual([{ path: "model-00001-of-00002.safetensors", size: 5, sha256: SHA256, blobSha1: undefined }]);
  });

  it("tolerates junk", () => {
    expect(parseListing(null)).toEqual([]);
    expect(parseListing({ siblings: [1, null, { size: 3 }] })).toEqual([]);
  });
});

describe("isNeededFile", () => {
  it.each([
    ["config.json", true],
    ["tokenizer.json", true],
    ["tokenizer_config.json", true],
    ["model.safetensors.index.json", true],
    ["model-00002-of-00002.safetensors", true],
    ["generation_config.json", false],
    ["README.md", false],
    ["sub/model.safetensors", false],
  ])("%s → %s", (path, needed) => {
    expect(isNeededFile(path)).toBe(needed);
  });
});

describe("pull naming", () => {
  it("maps aliases and names the GGUF after the repository and type", () => {
    expect(MODEL_ALIASES["1.7b"]).toBe("IAAR-Shanghai/MemPrivacy-1.7B-RL");
    expect(ggufFileName("IAAR-Shanghai/MemPrivacy-4B-RL", "q8_0")).toBe("MemPrivacy-4B-RL.Q8_0.gguf");
  });
});
