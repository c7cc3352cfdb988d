/**
 * The MemPrivacy input contract (DESIGN §3): one user turn made of the instruction block, the user's real
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

/** Chat-formatted prefix (identical for every message): turn start and the instruction block. */
export function buildPromptPrefix(instructions: string): string {
  return `<|im_start|>user\n${instructions}\n\n`;
}

/** Chat-formatted suffix for one message: the fields, turn end, and an assistant turn with an empty think block. */
export function buildPromptSuffix(content: string, userName?: string, role?: TextRole): string {
  return `${buildFields(content, userName, role)}<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n`;
}
