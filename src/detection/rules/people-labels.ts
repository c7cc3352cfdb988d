// Form labels and greetings before a name (people-latin.ts): "Patient: Ngozi Okafor", "From: Siddharth
// Venkataraman <…>", "Hi Wojciech,". A name after one is taken only where it ends the clause; the weak cues
// ("From:", "To:", greetings), which also open things other than names, need a listed name or a name's shape.

/** A cue before a name: the type it gives the name, and whether it is a weak one. */
export interface LabelCue {
  readonly type: "Real Name" | "Third-Party Identifiable Info";
  readonly weak: boolean;
}

// The "name" labels are the speaker's own unless another's possessive comes first ("Her name:").
const LABEL_RE =
  /(?:^|[^\p{L}])(?:((?:(?:full|first|last|legal|given|family)\s+)?name)|patient|from|to|cc|bcc|attendees?|participants?|contact(?:\s+person)?|applicant|customer|client|guest|passenger|tenant|landlord|employee|sender|recipient|author|beneficiary|(?:account|card)\s*holder|(?:signed|prepared|requested|approved)\s+by|assigned\s+to)\s*:\s*$/iu;
const WEAK_LABELS = new Set(["from", "to", "cc", "bcc"]);
const OTHERS_NAME_RE = /(?:his|her|their|patient's|client's|customer's)\s+\S*\s*$/i;
const NOT_NAMES_SUFFIX_RE = /(?:s|ing|tion|ment|ness|able|ible|ity|ive|ery|ship|ics|ure|ware)$/;
const GREETED_GROUPS = new Set([
  "world",
  "everyone",
  "everybody",
  "folks",
  "guys",
  "friends",
  "all",
  "there",
]);
// A greeting opening a message or a sentence: "Hi Wojciech,", "Hello Thandiwe!", "Dear Anneliese".
const GREETING_RE =
  /(?:^|[\n\r"“‘'(]|[.!?:]\s)\s*(?:hi|hello|hey|dear|good\s+(?:morning|afternoon|evening)|bonjour|salut|hallo|hola|ciao|cześć|olá|oi|hej)\s+$/iu;
const GREETING_WORDS = new Set(
  "hi hello hey dear morning afternoon evening bonjour salut hallo hola ciao cześć olá oi hej".split(" "),
);
/** ASCII capitals to lower case; any other unit as it is. */
function fold(c: number): number {
  return c >= 65 && c <= 90 ? c | 32 : c;
}

/** The hash {@link labelCue} makes of a word read backwards, folded. */
function backwardHash(word: string): number {
  let hash = 0;
  for (let k = word.length - 1; k >= 0; k--) hash = (hash * 31 + fold(word.charCodeAt(k))) | 0;
  return hash;
}
const GREETING_HASHES = new Set([...GREETING_WORDS].map(backwardHash));
// What ends a labelled name: the end, a line break, punctuation, an e-mail in angle brackets, a bracket.
const LABEL_END_RE = /^(?:[ \t]*(?:$|[\r\n,;.|<([])| ?[-–—] )/;
const GREETING_END_RE = /^[ \t]*(?:$|[\r\n,!:])/;
const OWN: LabelCue = { type: "Real Name", weak: false };
const OTHER: LabelCue = { type: "Third-Party Identifiable Info", weak: false };
const OTHER_WEAK: LabelCue = { type: "Third-Party Identifiable Info", weak: true };

function isLetterUnit(c: number): boolean {
  return (
    (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7)
  );
}

/** True when none of `words` reads like an English noun (by its suffix) or a greeted group ("World", "Team"). */
export function nameShaped(words: readonly string[]): boolean {
  for (const word of words) {
    const w = word.toLowerCase();
    if (NOT_NAMES_SUFFIX_RE.test(w) || GREETED_GROUPS.has(w)) return false;
  }
  return true;
}

/**
 * The cue before a name whose run is [start, end): a form label or a greeting (undefined when neither is
 * there, or the name does not end the clause). Only runs with a colon or a space just before are looked at.
 */
export function labelCue(t: string, start: number, end: number): LabelCue | undefined {
  const c1 = t.charCodeAt(start - 1);
  if (c1 === 58 || (c1 === 32 && t.charCodeAt(start - 2) === 58)) {
    const before = t.slice(Math.max(0, start - 40), start);
    const m = LABEL_RE.exec(before);
    if (m === null || !LABEL_END_RE.test(t.slice(end, end + 3))) return undefined;
    const label = m[0]
      .replace(/^[^\p{L}]/u, "")
      .replace(/\s*:\s*$/, "")
      .toLowerCase();
    if (WEAK_LABELS.has(label)) return OTHER_WEAK;
    const own = m[1] !== undefined && !OTHERS_NAME_RE.test(before.slice(0, m.index + 1 + m[0].indexOf(m[1])));
    return own ? OWN : OTHER;
  }
  // Most runs follow a space: the word before is looked up first, the regex runs only after a greeting word.
  if (c1 !== 32) return undefined;
  // The word's folded hash first: no substring is made for the words that are no greeting.
  let w = start - 1;
  let hash = 0;
  while (w > 0 && start - 1 - w < 10 && isLetterUnit(t.charCodeAt(w - 1))) {
    w--;
    hash = (hash * 31 + fold(t.charCodeAt(w))) | 0;
  }
  if (!GREETING_HASHES.has(hash) || !GREETING_WORDS.has(t.slice(w, start - 1).toLowerCase()))
    return undefined;
  const before = t.slice(Math.max(0, start - 24), start);
  return GREETING_RE.test(before) && GREETING_END_RE.test(t.slice(end, end + 2)) ? OTHER_WEAK : undefined;
}
