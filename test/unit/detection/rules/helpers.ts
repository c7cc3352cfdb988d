// Test helpers for the rule detector: compact views of what was found.
import { detectRules, type RuleOptions } from "../../../../src/detection/rules/index.js";

/** The detected texts with their types, in order. */
export function found(text: string, options?: RuleOptions): [string, string][] {
  return detectRules(text, options).map((s) => [s.text, s.type]);
}

/** The detected texts of one type. */
export function textsOf(text: string, type: string, options?: RuleOptions): string[] {
  return detectRules(text, options)
    .filter((s) => s.type === type)
    .map((s) => s.text);
}

/** The matches of a regex as [offset, text] pairs (to compare a shortcut's matches with a whole-text scan). */
export function matchOffsets(ms: readonly RegExpExecArray[]): [number, string][] {
  return ms.map((m) => [m.index, m[0]]);
}
