/**
 * Reads chosen fields of a JSON text without parsing all of it: where each selected value lies in the text
 * (its literal's offsets), what kind it is, and for scalars its value. A stream mapper restores a streamed
 * event's few text fields and splices them back into the event, instead of parsing and re-serialising every
 * event. The scan validates the whole text with JSON's grammar; whatever it is unsure of (invalid text, a
 * selected key given twice, deep nesting) makes it give up, and the caller then parses the event as before.
 */

/** The kind of a JSON value. */
export type JsonKind = "object" | "array" | "string" | "number" | "boolean" | "null";

/** A selected value found in the text. */
export interface JsonNode {
  readonly kind: JsonKind;
  /** Offset of the value's first character (a string's opening quote). */
  readonly start: number;
  /** Offset just after the value (after a string's closing quote). */
  readonly end: number;
  /** The decoded value of a string, number or boolean (null for `null`; undefined for containers). */
  readonly value: string | number | boolean | null | undefined;
  /** Selected members of an object (only those the selector names). */
  readonly members: ReadonlyMap<string, JsonNode> | undefined;
  /** Every element of an array whose elements are selected. */
  readonly items: readonly JsonNode[] | undefined;
}

/**
 * Which values to report: an object literal selects members by name (each with its own selector), a one-
 * element array selects every element of an array with that selector, and `true` selects a value as a leaf.
 */
export type JsonSelection = true | readonly [JsonSelection] | { readonly [key: string]: JsonSelection };

/** A selection compiled for {@link scanJson}. */
export interface JsonSelector {
  readonly members: ReadonlyMap<string, JsonSelector> | undefined;
  readonly items: JsonSelector | undefined;
}

const LEAF: JsonSelector = { members: undefined, items: undefined };

/** Compiles a selection (once, at module load). */
export function compileSelection(selection: JsonSelection): JsonSelector {
  if (selection === true) return LEAF;
  if (Array.isArray(selection))
    return { members: undefined, items: compileSelection((selection as readonly [JsonSelection])[0]) };
  const members = new Map<string, JsonSelector>();
  for (const [key, sub] of Object.entries(selection as Record<string, JsonSelection>))
    members.set(key, compileSelection(sub));
  return { members, items: undefined };
}

/** Nesting beyond this gives up (the caller's JSON.parse decides). */
const MAX_DEPTH = 64;

/** Thrown inside the scanner only (one instance, no stack per throw): the scan does not vouch for the text. */
const GIVE_UP = new Error("JSON scan gave up");

/** The value at the root of `text` with the selected values beneath it, or undefined (invalid, or unsure). */
export function scanJson(text: string, selector: JsonSelector): JsonNode | undefined {
  try {
    const scanner = new Scanner(text);
    scanner.skipBlanks();
    const root = scanner.value(selector, 0);
    scanner.skipBlanks();
    return scanner.at === text.length ? root : undefined;
  } catch (err) {
    if (err === GIVE_UP) return undefined;
    throw err;
  }
}

/** Hex digit test for `\uXXXX`. */
function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

class Scanner {
  readonly #text: string;
  at = 0;

  constructor(text: string) {
    this.#text = text;
  }

  skipBlanks(): void {
    const t = this.#text;
    let i = this.at;
    for (;;) {
      const c = t.charCodeAt(i);
      // space, tab, LF, CR: JSON's only blanks
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
      else break;
    }
    this.at = i;
  }

  /** Scans one value; `selector` undefined: validate and skip it. */
  value(selector: JsonSelector | undefined, depth: number): JsonNode | undefined {
    const t = this.#text;
    const start = this.at;
    const c = t.charCodeAt(start);
    if (c === 0x22) {
      const escaped = this.#string();
      if (selector === undefined) return undefined;
      const raw = t.slice(start + 1, this.at - 1);
      const value = escaped ? (JSON.parse(t.slice(start, this.at)) as string) : raw;
      return node("string", start, this.at, value);
    }
    if (c === 0x7b) return this.#object(selector, depth + 1);
    if (c === 0x5b) return this.#array(selector, depth + 1);
    if (c === 0x2d || isDigit(c)) {
      this.#number();
      return selector === undefined
        ? undefined
        : node("number", start, this.at, Number(t.slice(start, this.at)));
    }
    if (t.startsWith("true", start)) {
      this.at += 4;
      return selector === undefined ? undefined : node("boolean", start, this.at, true);
    }
    if (t.startsWith("false", start)) {
      this.at += 5;
      return selector === undefined ? undefined : node("boolean", start, this.at, false);
    }
    if (t.startsWith("null", start)) {
      this.at += 4;
      return selector === undefined ? undefined : node("null", start, this.at, null);
    }
    throw GIVE_UP;
  }

  /** Skips a string literal (at its opening quote); returns whether it holds an escape. */
  #string(): boolean {
    const t = this.#text;
    let i = this.at + 1;
    let escaped = false;
    for (;;) {
      const c = t.charCodeAt(i);
      if (c === 0x22) break;
      if (Number.isNaN(c) || c < 0x20) throw GIVE_UP; // unterminated, or a raw control character
      if (c === 0x5c) {
        escaped = true;
        const e = t.charCodeAt(i + 1);
        if (e === 0x75) {
          for (let k = 2; k < 6; k++) if (!isHex(t.charCodeAt(i + k))) throw GIVE_UP;
          i += 6;
          continue;
        }
        // \" \\ \/ \b \f \n \r \t
        if (
          e !== 0x22 &&
          e !== 0x5c &&
          e !== 0x2f &&
          e !== 0x62 &&
          e !== 0x66 &&
          e !== 0x6e &&
          e !== 0x72 &&
          e !== 0x74
        )
          throw GIVE_UP;
        i += 2;
        continue;
      }
      i++;
    }
    this.at = i + 1;
    return escaped;
  }

  /** `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?` */
  #number(): void {
    const t = this.#text;
    let i = this.at;
    if (t.charCodeAt(i) === 0x2d) i++;
    if (t.charCodeAt(i) === 0x30) i++;
    else if (isDigit(t.charCodeAt(i))) while (isDigit(t.charCodeAt(i))) i++;
    else throw GIVE_UP;
    if (t.charCodeAt(i) === 0x2e) {
      i++;
      if (!isDigit(t.charCodeAt(i))) throw GIVE_UP;
      while (isDigit(t.charCodeAt(i))) i++;
    }
    const e = t.charCodeAt(i);
    if (e === 0x65 || e === 0x45) {
      i++;
      const s = t.charCodeAt(i);
      if (s === 0x2b || s === 0x2d) i++;
      if (!isDigit(t.charCodeAt(i))) throw GIVE_UP;
      while (isDigit(t.charCodeAt(i))) i++;
    }
    this.at = i;
  }

  #object(selector: JsonSelector | undefined, depth: number): JsonNode | undefined {
    if (depth > MAX_DEPTH) throw GIVE_UP;
    const t = this.#text;
    const start = this.at;
    const wanted = selector?.members;
    const members = selector === undefined ? undefined : new Map<string, JsonNode>();
    this.at++;
    this.skipBlanks();
    if (t.charCodeAt(this.at) === 0x7d) {
      this.at++;
      return members === undefined ? undefined : container("object", start, this.at, members, undefined);
    }
    for (;;) {
      if (t.charCodeAt(this.at) !== 0x22) throw GIVE_UP;
      const keyStart = this.at;
      const escaped = this.#string();
      let sub: JsonSelector | undefined;
      let key: string | undefined;
      if (wanted !== undefined) {
        key = escaped
          ? (JSON.parse(t.slice(keyStart, this.at)) as string)
          : t.slice(keyStart + 1, this.at - 1);
        sub = wanted.get(key);
      }
      this.skipBlanks();
      if (t.charCodeAt(this.at) !== 0x3a) throw GIVE_UP;
      this.at++;
      this.skipBlanks();
      const value = this.value(sub, depth);
      if (sub !== undefined && members !== undefined && key !== undefined) {
        // JSON.parse keeps the last of two equal keys: rather than mimic that, the caller parses.
        if (members.has(key)) throw GIVE_UP;
        members.set(key, value as JsonNode);
      }
      this.skipBlanks();
      const c = t.charCodeAt(this.at);
      this.at++;
      if (c === 0x7d) break;
      if (c !== 0x2c) throw GIVE_UP;
      this.skipBlanks();
    }
    return members === undefined ? undefined : container("object", start, this.at, members, undefined);
  }

  #array(selector: JsonSelector | undefined, depth: number): JsonNode | undefined {
    if (depth > MAX_DEPTH) throw GIVE_UP;
    const t = this.#text;
    const start = this.at;
    const each = selector?.items;
    const items = each === undefined ? undefined : ([] as JsonNode[]);
    this.at++;
    this.skipBlanks();
    if (t.charCodeAt(this.at) === 0x5d) {
      this.at++;
      return selector === undefined ? undefined : container("array", start, this.at, undefined, items);
    }
    for (;;) {
      const value = this.value(each, depth);
      if (items !== undefined) items.push(value as JsonNode);
      this.skipBlanks();
      const c = t.charCodeAt(this.at);
      this.at++;
      if (c === 0x5d) break;
      if (c !== 0x2c) throw GIVE_UP;
      this.skipBlanks();
    }
    return selector === undefined ? undefined : container("array", start, this.at, undefined, items);
  }
}

function node(kind: JsonKind, start: number, end: number, value: JsonNode["value"]): JsonNode {
  return { kind, start, end, value, members: undefined, items: undefined };
}

function container(
  kind: "object" | "array",
  start: number,
  end: number,
  members: ReadonlyMap<string, JsonNode> | undefined,
  items: readonly JsonNode[] | undefined,
): JsonNode {
  return { kind, start, end, value: undefined, members, items };
}

/** The member's node when `parent` is an object that has it. */
export function memberOf(parent: JsonNode | undefined, key: string): JsonNode | undefined {
  return parent?.members?.get(key);
}

/**
 * `text` with each `[start, end)` range replaced by its JSON-encoded string (ranges sorted, disjoint): the
 * parts nobody changed stay byte for byte as they came.
 */
export function spliceJsonStrings(
  text: string,
  edits: readonly (readonly [number, number, string])[],
): string {
  let out = "";
  let at = 0;
  for (const [start, end, value] of edits) {
    out += text.slice(at, start) + JSON.stringify(value);
    at = end;
  }
  return out + text.slice(at);
}
