/**
 * Recorded-shape fixtures (test/fixtures/<protocol>/…json, written from the public API references): a
 * fixture is a JSON template whose `"{{name}}"` strings are replaced by any JSON value and whose `{{name}}`
 * inside longer strings is replaced by text.
 */
import fs from "node:fs";

const cache = new Map<string, unknown>();
const WHOLE = /^\{\{(\w+)\}\}$/;
const INSIDE = /\{\{(\w+)\}\}/g;

/** Substitutes `vars` into a template (a deep copy; the template is not changed). Throws on a missing var. */
export function fillTemplate(template: unknown, vars: Readonly<Record<string, unknown>>): unknown {
  const lookup = (name: string): unknown => {
    if (!(name in vars)) throw new Error(`fixture variable ${name} is not set`);
    return vars[name];
  };
  if (typeof template === "string") {
    const whole = WHOLE.exec(template);
    if (whole?.[1] !== undefined) return structuredClone(lookup(whole[1]));
    return template.replace(INSIDE, (_m, name: string) => String(lookup(name)));
  }
  if (Array.isArray(template)) return template.map((v) => fillTemplate(v, vars));
  if (template !== null && typeof template === "object") {
    return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, fillTemplate(v, vars)]));
  }
  return template;
}

/** Loads `test/fixtures/<protocol>/<name>.json` and fills it. */
export function fixture(
  protocol: "anthropic" | "openai-responses",
  name: string,
  vars: Readonly<Record<string, unknown>> = {},
): Record<string, unknown> {
  const key = `${protocol}/${name}`;
  let template = cache.get(key);
  if (template === undefined) {
    const url = new URL(`../fixtures/${protocol}/${name}.json`, import.meta.url);
    template = JSON.parse(fs.readFileSync(url, "utf8")) as unknown;
    cache.set(key, template);
  }
  return fillTemplate(template, vars) as Record<string, unknown>;
}

/** Names of every fixture file of a protocol (relative, without `.json`), for coverage checks. */
export function fixtureNames(protocol: "anthropic" | "openai-responses"): string[] {
  const root = new URL(`../fixtures/${protocol}/`, import.meta.url);
  const out: string[] = [];
  const walk = (dir: URL, prefix: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(new URL(`${entry.name}/`, dir), `${prefix}${entry.name}/`);
      else if (entry.name.endsWith(".json")) out.push(`${prefix}${entry.name.slice(0, -5)}`);
    }
  };
  walk(root, "");
  return out.sort();
}

/** Encodes named SSE events (`event:` + `data:` lines), as Anthropic and the Responses API send them. */
export function namedSseWire(events: readonly Record<string, unknown>[]): string {
  return events.map((e) => `event: ${String(e.type)}\ndata: ${JSON.stringify(e)}\n\n`).join("");
}
