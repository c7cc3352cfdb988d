/** The one way a CLI command holds a runtime: built from the configuration, closed when the command ends. */
import type { Config } from "../config/schema.js";
import { createRuntime, type Runtime } from "../runtime.js";

/** Runs `command` on the configuration's runtime and closes the runtime afterwards, whatever happens. */
export async function withRuntime(
  config: Config,
  command: (runtime: Runtime) => Promise<number>,
): Promise<number> {
  const runtime = createRuntime(config);
  try {
    return await command(runtime);
  } finally {
    await runtime.close();
  }
}
