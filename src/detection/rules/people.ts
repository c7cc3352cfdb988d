// Names of people without `user_name`, in English (and other Latin-script languages) and Chinese: cue phrases
// ("my name is", "I'm", "call me", "signed"; 我叫, 我是), titles (Mr, Dr, Frau, Mme; 先生, 女士, 医生, 老师),
// relations ("my wife X", 妻子X, 同事X), transliterated names (约翰·史密斯), and capitalised sequences that
// start with a given name from the gazetteer (public census and registry name lists, see
// scripts/gen-gazetteer.ts). The speaker's own name is Real Name; a name after a relation word is
// Relationship Info (the relation word and the name, a minimal phrase); any other name is Third-Party
// Identifiable Info. Public figures and places are not names of private persons.
//
// Latin-script names are found in people-latin.ts, Chinese ones in people-zh.ts, from the lists in
// people-words.ts.
import type { RuleContext } from "./context.js";
import { detectLatinNames } from "./people-latin.js";
import { detectChineseNames } from "./people-zh.js";

const NO_NAMES: ReadonlySet<string> = new Set();
// The last user name's parts: a conversation's turns carry the same name, and the set is made once for them.
let lastUser: string | undefined;
let lastOwn: ReadonlySet<string> = NO_NAMES;

/** The user's name whole and its parts, as a set (empty without a name). */
function ownNames(userName: string | undefined): ReadonlySet<string> {
  if (userName === undefined) return NO_NAMES;
  if (userName !== lastUser) {
    lastOwn = new Set([userName.trim(), ...userName.split(/[\s·•・]+/).filter((w) => w !== "")]);
    lastUser = userName;
  }
  return lastOwn;
}

/**
 * Finds names of people (Real Name / Relationship Info / Third-Party Identifiable Info, PL2). Parts of
 * `userName` alone ("Jean-Baptiste" of "Jean-Baptiste Dubois") are not reported: the user-name rule owns
 * the user's name.
 */
export function detectPeople(ctx: RuleContext, userName?: string): void {
  const own = ownNames(userName);
  if (ctx.hasUpper) detectLatinNames(ctx, own);
  if (ctx.hasCjk) detectChineseNames(ctx, own);
}
