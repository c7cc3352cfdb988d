/** `memprivacy models` and `pull` use the configured models directory when no --dir is given. */
import { Writable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { runModels } from "../../../src/cli/models.js";
import { configuredModelsDir } from "../../../src/cli/pull.js";
import { tempDir } from "../../helpers/app.js";

const data = tempDir();
afterAll(() => data.cleanup());

function sink(): { stream: Writable; text: () => string } {
  let out = "";
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      out += chunk.toString("utf8");
      done();
    },
  });
  return { stream, text: () => out };
}

describe("models directory", () => {
  it("is modelsDir of the configuration (environment, file, default), --dir first", () => {
    expect(configuredModelsDir(undefined, {})).toBe("models");
    expect(configuredModelsDir(undefined, { MEMPRIVACY_MODELS_DIR: data.dir })).toBe(data.dir);
    expect(configuredModelsDir("elsewhere", { MEMPRIVACY_MODELS_DIR: data.dir })).toBe("elsewhere");
  });

  it("is where `memprivacy models` looks without --dir", async () => {
    const out = sink();
    expect(await runModels([], { stdout: out.stream, env: { MEMPRIVACY_MODELS_DIR: data.dir } })).toBe(0);
    expect(out.text()).toBe(`no models in ${data.dir} (run: memprivacy pull)\n`);
  });
});
