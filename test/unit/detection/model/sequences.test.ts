/** Sequence count from the hardware: cores and free memory on a CPU, VRAM on a GPU; never below one. */
import os from "node:os";
import { describe, expect, it } from "vitest";
import type { Llama, LlamaModel } from "node-llama-cpp";
import { chooseSequenceCount } from "../../../../src/detection/model/engine.js";

function llama(gpu: false | "cuda", cpuMathCores: number, freeVram = 0): Llama {
  return { gpu, cpuMathCores, getVramState: async () => ({ free: freeVram }) } as unknown as Llama;
}

/** A model whose context needs `perSequence` bytes per sequence (RAM on a CPU, VRAM on a GPU). */
function model(perSequence: number, fail = false): LlamaModel {
  return {
    gpuLayers: 0,
    fileInsights: {
      estimateContextResourceRequirementsV2: async ({ sequences }: { sequences: number }) => {
        if (fail) throw new Error("no estimate");
        return { cpuRam: perSequence * sequences, gpuVram: perSequence * sequences };
      },
    },
  } as unknown as LlamaModel;
}

describe("chooseSequenceCount", () => {
  it("takes one sequence per two CPU cores, 1 to 4, when memory allows", async () => {
    expect(await chooseSequenceCount(llama(false, 2), model(1), 4096)).toBe(1);
    expect(await chooseSequenceCount(llama(false, 6), model(1), 4096)).toBe(3);
    expect(await chooseSequenceCount(llama(false, 32), model(1), 4096)).toBe(4);
  });

  it("takes fewer when the contexts would not fit in half the free RAM, and 1 when it cannot estimate", async () => {
    const half = os.freemem() / 2;
    expect(await chooseSequenceCount(llama(false, 32), model(half / 2.5), 4096)).toBe(2);
    expect(await chooseSequenceCount(llama(false, 32), model(half * 2), 4096)).toBe(1);
    expect(await chooseSequenceCount(llama(false, 32), model(1, true), 4096)).toBe(1);
  });

  it("takes up to 4 on a GPU, as far as 80 % of the free VRAM goes", async () => {
    expect(await chooseSequenceCount(llama("cuda", 2, 100), model(10), 4096)).toBe(4);
    expect(await chooseSequenceCount(llama("cuda", 2, 100), model(30), 4096)).toBe(2);
  });
});
