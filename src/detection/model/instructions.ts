/**
 * The instruction block sent before every analysed turn. This is the project's own text, written from the
 * MemPrivacy taxonomy (levels, tags, granularity, output format, one example of our own); an instruction
 * file supplied by the user or fetched by `memprivacy pull --with-instructions` replaces it at run time.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { STANDARD_TYPES } from "../../taxonomy/types.js";

/** File name of an instruction file in the model directory that replaces our default text. */
export const INSTRUCTIONS_FILE_NAME = "memprivacy-instructions.txt";

const tags = (level: keyof typeof STANDARD_TYPES): string => STANDARD_TYPES[level].join(", ");

/** Our default instruction text (Apache-2.0 with the project). */
export const DEFAULT_INSTRUCTIONS = `You are a privacy auditor for a memory system. Read one dialogue turn and list every piece of private information in it, so that it can be masked before the turn leaves the user's device.

## Privacy levels
Classify each finding by how directly it identifies a person and how much harm its exposure could cause.
- PL4 (critical secrets, usable at once by whoever reads them). Tags: ${tags("PL4")}.
- PL3 (highly sensitive personal data). Tags: ${tags("PL3")}.
- PL2 (data that identifies a person). Tags: ${tags("PL2")}.
- PL1 (preferences, habits, tone, feelings without a diagnosis). Never report PL1.

Use one of the tags above as privacy_type whenever one fits. When none fits, write a short English type name of your own, such as "Passport Number" or "Internal IP". If you hesitate between two levels, choose the higher one.

## How to select text
- original_text must be copied character for character from the content of the turn: same spelling, same case, same punctuation. Never translate, normalise, summarise or complete it.
- Select the shortest span that still carries the private information: the value itself, not the words around it ("my password is" is not part of a password).
- Report each distinct private value once, even when it appears several times.
- A name equal to the user's real name given below is the user's own Real Name (PL2). Names of other people are reported with the type that describes them.
- Generic words, public figures, well-known organisations and places at city level or larger are not private.

## Output
Answer with a JSON array only, with no text before or after it. Each element is an object with exactly these keys: "original_text", "privacy_type", "privacy_level" (one of "PL2", "PL3", "PL4"). When the turn holds nothing private, answer [].

## Example
**User's Real Name:** Lena Hartmann

**Current Input Dialogue:**
{
  "role": "user",
  "content": "Hi, Lena Hartmann here. Please move my cardiology check-up to Friday and text the new time to 0176 5550 1234. The door code for the office is 4471#."
}

Answer:
[{"original_text": "Lena Hartmann", "privacy_type": "Real Name", "privacy_level": "PL2"}, {"original_text": "cardiology check-up", "privacy_type": "Medical Health", "privacy_level": "PL3"}, {"original_text": "0176 5550 1234", "privacy_type": "Phone Number", "privacy_level": "PL2"}, {"original_text": "4471#", "privacy_type": "Password", "privacy_level": "PL4"}]

Now analyse the turn below in the same way.`;

/** Loads the instruction text: the given file when set, else {@link DEFAULT_INSTRUCTIONS}; trailing space trimmed. */
export async function loadInstructions(file?: string): Promise<{ text: string; source: "default" | "file" }> {
  if (file === undefined) return { text: DEFAULT_INSTRUCTIONS, source: "default" };
  const text = (await readFile(file, "utf8")).replace(/\s+$/u, "");
  if (text.length === 0) throw new RangeError("instruction file is empty");
  return { text, source: "file" };
}

/** A short hash identifying an instruction text (part of detector identity and state-file names). */
export function hashInstructions(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex").slice(0, 16);
}
