// Counting turns of the event loop while some work runs: a test of "gives the loop back", without a clock.

/** Turns of the event loop (immediates that ran) until `work` settles, and its result. */
export async function turnsDuring<T>(work: Promise<T>): Promise<{ result: T; turns: number }> {
  let turns = 0;
  let done = false;
  const tick = (): void => {
    if (done) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  try {
    return { result: await work, turns };
  } finally {
    done = true;
  }
}
