/** Server-sent events: decoding in layers (bytes → lines → events) with caps, and encoding. */
export * from "./lines.js";
export * from "./events.js";
export * from "./encoder.js";
