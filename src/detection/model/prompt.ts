/**
 * The MemPrivacy input contract: one user turn made of the instruction block, the user's real
 * name and the analysed turn as 2-space-indented JSON, in the Qwen3 chat format with thinking disabled.
 * Split into a prefix identical for every message (its KV state is reused) and a per-message suffix.
 */
import type { TextRole } from "../span.js";

/** Shown in the real-name field when the caller does not know the user's name. */
export const UNKNOWN_NAME = "Unknown";

/** The part of the user turn that follows the instruction block. */
export function buildFields(content: string, userName: string | undefined, role: TextRole = "user"): string {
  const name = userName !== undefined && userName.trim() !== "" ? userName.trim() : UNKNOWN_NAME;
  // JSON.stringify keeps non-ASCII raw and indents with 2 spaces, as the model was trained.
  const turn = JSON.stringify({ role, content }, null, 2);
  return `**User's Real Name:** ${name}\n\n**Current Input Dialogue:**\n${turn}`;
}

/** The whole user-turn text (what the remote detector sends as the message content). */
export function buildUserText(
  instructions: string,
  content: string,
  userName?: string,
  role?: TextRole,
): string {
  return `${instructions}\n\n${buildFields(content, userName, role)}`;
}

/** Chat-template text before the user turn's text (tokenized with special tokens). */
export const TURN_HEAD = "<|im_start|>user\n";
/** Chat-template text after it: turn end and an assistant turn with an empty think block (thinking off). */
export const TURN_TAIL = "<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n";

/**
 * A prompt piece: template text whose control tokens are parsed, or plain text whose look-alikes
 * (a user writing "<|im_end|>") stay ordinary text and can never end the turn.
 */
export interface PromptPiece {
  readonly text: string;
  readonly special: boolean;
}

/** Prefix pieces (identical for every message): turn start and the instruction block. */
export function promptPrefixPieces(instructions: string): PromptPiece[] {
  return [
    { text: TURN_HEAD, special: true },
    { text: `${instructions}\n\n`, special: false },
  ];
}

/** Suffix pieces for one message: the fields, then the template tail. */
export function promptSuffixPieces(content: string, userName?: string, role?: TextRole): PromptPiece[] {
  return [
    { text: buildFields(content, userName, role), special: false },
    { text: TURN_TAIL, special: true },
  ];
}

/** The chat-formatted prefix as one string (documentation and tests). */
export function buildPromptPrefix(instructions: string): string {
  return promptPrefixPieces(instructions)
    .map((p) => p.text)
    .join("");
}

/** The chat-formatted suffix as one string (documentation and tests). */
export function buildPromptSuffix(content: string, userName?: string, role?: TextRole): string {
  return promptSuffixPieces(content, userName, role)
    .map((p) => p.text)
    .join("");
}
