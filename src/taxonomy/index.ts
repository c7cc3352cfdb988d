/** Taxonomy: levels, standard type tags and placeholder naming. */
export * from "./levels.js";
export * from "./types.js";
export * from "./placeholder.js";
