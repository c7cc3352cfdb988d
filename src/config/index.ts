/** Configuration: schema with defaults, and the loader (defaults ← file ← env ← flags). */
export * from "./schema.js";
export * from "./load.js";
