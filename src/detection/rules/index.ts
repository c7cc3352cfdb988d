// The rule detector: pure, synchronous pattern rules with validators (see docs/architecture.md); the embedded
// default.
//
// Evasions handled (normalize.ts): NFKC forms (full-width, mathematical digits, "﹫"), format characters and
// stray combining marks inside a value (zero-width, bidi controls, tags, CGJ, variation selectors), any decimal
// digits, Zs/Pd separators, "%40" — matched on a normalised copy, spans cover the original — values glued to
// Chinese text (digit/letter look-arounds instead of \b), every occurrence of a value once found.
// Evasions that still pass (by design or not yet handled): digits spelled out ("one three eight…", "一三八…"),
// dotted card numbers and ID numbers in groups, ideographic full stops ("192。168。1。1"), homoglyphs
// (Cyrillic "А" for "A", "O" for "0"), encodings (base64, hex, ROT13), values split across messages or JSON
// fields, secrets without a cue word or a recognisable shape, names with neither a cue nor a listed given
// name, and free-text private data outside the lexicons (relationships, employers, schools, most
// transactions) — that is the model detector's job. See docs/evasion.md.
import { dropContained, sortByStart } from "../merge.js";
import type { Detector, DetectInput, DetectorInfo, Span } from "../span.js";
import { makeSpan } from "../span.js";
import { detectAddresses } from "./address.js";
import { detectAmounts } from "./amounts.js";
import { detectCodes } from "./codes.js";
import { createContext, type RawSpan } from "./context.js";
import { detectCodeContext, detectCues } from "./cues.js";
import { detectEmails } from "./email.js";
import { detectFinance } from "./finance.js";
import { detectHealth } from "./health.js";
import { detectIds } from "./ids.js";
import { detectUserName } from "./names.js";
import { detectNetwork } from "./network.js";
import { detectOrganisations } from "./organisations.js";
import { normalizeText, toOriginal } from "./normalize.js";
import { DEFAULT_PHONE_REGIONS, detectPhones } from "./phone.js";
import { detectPasswordShapes } from "./password-shape.js";
import { detectPeople } from "./people.js";
import { detectProfile } from "./profile.js";
import { detectPlates } from "./plates.js";
import { detectSecrets } from "./secrets.js";
import { detectStreets } from "./street.js";

/** Bumped whenever a rule changes what it finds (it is part of cache keys). */
export const RULES_VERSION = "7";

/** Options for {@link detectRules}. */
export interface RuleOptions {
  /** The user's own real name: every occurrence becomes a Real Name (PL2) span. */
  readonly userName?: string | undefined;
  /** Regions tried for phone numbers without "+" (default {@link DEFAULT_PHONE_REGIONS}). */
  readonly phoneRegions?: readonly string[] | undefined;
  /**
   * Leave the gazetteer's held-out fifth of names out (only for evaluating the rules on the dev corpus, whose
   * scored names all come from that fifth: the score then measures the rules, not the lists).
   */
  readonly namesHeldOut?: boolean | undefined;
}

/**
 * Finds structured private values in `text`. Pure and synchronous; spans may overlap (resolve them with
 * `mergeSpans`) but never repeat the same range. Offsets are UTF-16 units into the original `text`.
 */
export function detectRules(text: string, options: RuleOptions = {}): Span[] {
  if (text.length === 0) return [];
  const norm = normalizeText(text);
  const ctx = createContext(norm.text, norm.plainAscii);
  if (options.namesHeldOut === true) ctx.namesHeldOut = true;
  // Order matters only for duplicates: the first rule to claim a range keeps it.
  detectUserName(ctx, options.userName);
  detectPeople(ctx, options.userName);
  detectSecrets(ctx);
  detectCues(ctx);
  detectCodeContext(ctx);
  detectEmails(ctx);
  detectNetwork(ctx);
  detectIds(ctx);
  detectFinance(ctx);
  detectPhones(ctx, options.phoneRegions ?? DEFAULT_PHONE_REGIONS);
  detectPlates(ctx);
  detectCodes(ctx);
  detectAmounts(ctx);
  detectAddresses(ctx);
  detectStreets(ctx);
  detectHealth(ctx);
  detectProfile(ctx);
  detectOrganisations(ctx);
  detectPasswordShapes(ctx);
  return finish(text, norm, ctx.out);
}

// One source string per rule, made once ("rule:" + the rule's name; the rules are a fixed set).
const SOURCES = new Map<string, string>();

function sourceOf(rule: string): string {
  let source = SOURCES.get(rule);
  if (source === undefined) SOURCES.set(rule, (source = `rule:${rule}`));
  return source;
}

function finish(text: string, norm: ReturnType<typeof normalizeText>, raw: readonly RawSpan[]): Span[] {
  if (raw.length === 0) return [];
  const identity = norm.map === undefined;
  const spans: Span[] = [];
  for (const r of raw) {
    let start = r.start;
    let end = r.end;
    if (!identity) [start, end] = toOriginal(norm, start, end);
    if (end > start) spans.push(makeSpan(text, start, end, r.type, r.level, sourceOf(r.rule)));
  }
  // The sort is stable, so of spans on the same range the first found (the first rule to claim it) comes
  // first, and the others are dropped next to it: no set of range keys (a hostile page yields hundreds of
  // thousands of spans).
  sortByStart(spans);
  let kept = 0;
  for (const s of spans) {
    const last = kept > 0 ? spans[kept - 1] : undefined;
    if (last !== undefined && last.start === s.start && last.end === s.end) continue;
    spans[kept++] = s;
  }
  spans.length = kept;
  // A span inside a longer span of the same type adds nothing ("613-555-0198" in "+1-613-555-0198").
  return dropContained(spans);
}

/**
 * Creates the rule detector (`rules@<version>`), always ready; `detect` wraps {@link detectRules} with
 * `phoneRegions` (default {@link DEFAULT_PHONE_REGIONS}) and `namesHeldOut` (evaluation only).
 */
export function createRuleDetector(
  defaults: Pick<RuleOptions, "phoneRegions" | "namesHeldOut"> = {},
): Detector {
  const id = `rules@${RULES_VERSION}${defaults.namesHeldOut === true ? "+names-held-out" : ""}`;
  const info: DetectorInfo = { kind: "rules", id, ready: true };
  return {
    info: () => info,
    detect: (input: DetectInput, signal?: AbortSignal): Promise<Span[]> => {
      if (signal?.aborted === true)
        return Promise.reject(signal.reason instanceof Error ? signal.reason : new Error("aborted"));
      try {
        return Promise.resolve(
          detectRules(input.text, {
            userName: input.userName,
            phoneRegions: defaults.phoneRegions,
            namesHeldOut: defaults.namesHeldOut,
          }),
        );
      } catch (err) {
        return Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
    },
    close: () => Promise.resolve(),
  };
}

export { luhnValid, ibanValid, cnResidentIdValid, parseIPv4, parseIPv6 } from "./validators.js";
