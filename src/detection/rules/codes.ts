// Generic reference codes ("#TRV-PLAN-0207", "AUTH-882-STY"): letter-led, hyphenated, with digits. Booking,
// ticket, session and project references identify a person's records; well-known standards are skipped.
import { clearBefore, countDigits, dashOffsets, emit, isAsciiLetter, type RuleContext } from "./context.js";

/** The reference-code pattern (global); {@link codeMatches} gives the matches of its scan. */
export const CODE_RE = /#?[A-Z][A-Za-z]{0,11}(?:-[A-Za-z0-9]{1,12}){1,5}(?![A-Za-z0-9_-]|\.[A-Za-z0-9])/g;
// First segments of public identifiers that are not personal: algorithms, standards, encodings, models.
const PUBLIC_PREFIXES = new Set([
  "AES",
  "SHA",
  "RSA",
  "MD",
  "ECDSA",
  "ED",
  "HMAC",
  "UTF",
  "UCS",
  "ISO",
  "IEC",
  "RFC",
  "IEEE",
  "ANSI",
  "DIN",
  "EN",
  "PEP",
  "ES",
  "ECMA",
  "WCAG",
  "CVE",
  "CWE",
  "GHSA",
  "COVID",
  "SARS",
  "MERS",
  "H",
  "HTTP",
  "TLS",
  "SSL",
  "IPV",
  "IP",
  "USB",
  "HDMI",
  "DDR",
  "LPDDR",
  "PCI",
  "PCIE",
  "LTE",
  "GPT",
  "CLAUDE",
  "LLAMA",
  "QWEN",
  "GEMMA",
  "MISTRAL",
  "PHI",
  "WPA",
  "WEP",
  "MPEG",
  "MP",
  "AVC",
  "HEVC",
  "CAT",
  "RJ",
  "BASE",
  "ARM",
  "X",
  "AMD",
  "INTEL",
  "IOS",
  "WINDOWS",
  "FY",
  "Q",
  "COVID19",
  "ICD",
  "DSM",
  "APA",
  "HL",
  "HIPAA",
  "GDPR",
  "SOC",
  "PCI-DSS",
  "NIST",
  "FIPS",
  "OWASP",
]);
// Tried only where a match can start: a capital (or "#" and a capital) at most 12 letters before a "-".
const CODE_AT_RE = new RegExp(CODE_RE.source, "y");
const TOKEN_CONTEXT_RE = /token|令牌|session|会话|auth|鉴权/i;
const PROJECT_CONTEXT_RE = /project|task|ticket|grant|项目|任务|工单|课题/i;

/**
 * The matches of a global scan of the code pattern over `t`. A match is "#"?, a capital and at most 11 more
 * letters, then a "-": so it can start only at a capital at most 12 letters before a "-" (or at a "#" just
 * before that capital). Those places, found from each "-" by a builtin search, are tried in order.
 */
export function codeMatches(t: string, dashes: readonly number[] = offsetsOf(t, "-")): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  let next = 0;
  for (const dash of dashes) {
    if (dash < next) continue;
    let from = dash;
    while (from > next && dash - from < 12 && isAsciiLetter(t.charCodeAt(from - 1))) from--;
    for (let p = from; p < dash; p++) {
      const c = t.charCodeAt(p);
      if (c < 65 || c > 90) continue;
      const start = p > next && t.charCodeAt(p - 1) === 0x23 ? p - 1 : p;
      CODE_AT_RE.lastIndex = start;
      let m = CODE_AT_RE.exec(t);
      if (m === null && start < p) {
        CODE_AT_RE.lastIndex = p;
        m = CODE_AT_RE.exec(t);
      }
      if (m === null) continue;
      out.push(m);
      next = m.index + m[0].length;
      break;
    }
  }
  return out;
}

function offsetsOf(t: string, ch: string): number[] {
  const out: number[] = [];
  for (let i = t.indexOf(ch); i >= 0; i = t.indexOf(ch, i + 1)) out.push(i);
  return out;
}

/** Words before "code" that make it a program's or a protocol's code ("error code", "HTTP status code"). */
export const PROGRAM_CODE_WORDS = "error|status|exit|return|response|result|reason|fault|failure|diagnostic";
// A code announced as one ("error code: 'AUTH-LOCKED-089'") is no private reference.
const PROGRAM_CODE_BEFORE_RE = new RegExp(
  String.raw`\b(?:${PROGRAM_CODE_WORDS})[\s-]codes?\s*[:：]?\s*['"‘“]?$`,
  "i",
);

// The same in Chinese before the code ("错误代码 'X'", "报错：X", "状态码 X"), and after it in either
// language ("the CAL-409 error", "X 错误", "X 的错误"): a program's message, not a reference to a person's record.
const PROGRAM_CODE_BEFORE_ZH_RE =
  /(?:(?:错误|报错|故障|异常)(?:代码|码|编码|提示)?|(?:状态|返回)(?:代码|码))\s*[:：是为]?\s*[(（'"‘“]?$/;
const PROGRAM_CODE_AFTER_RE = /^['"’”)）]?\s*(?:(?:error|fault|failure)s?\b|的?(?:错误|报错|故障|异常))/i;
// A code whose first segment says it is one ("ERR-902", "ERROR-AUTH-4412").
const ERROR_PREFIXES = new Set(["ERR", "ERROR", "ERRNO"]);

/** Finds hyphenated reference codes (Reference Code PL3; Token PL4 or Project/Task ID PL4 by context). */
export function detectCodes(ctx: RuleContext): void {
  const t = ctx.text;
  if (ctx.digitCount < 2 || !ctx.hasUpper) return;
  for (const m of codeMatches(t, dashOffsets(ctx))) {
    const code = m[0];
    if (!clearBefore(t, m.index, "#_.-")) continue;
    const bare = code.startsWith("#") ? code.slice(1) : code;
    if (bare.length < 6) continue;
    const digits = countDigits(bare);
    if (digits < 2) continue;
    const segments = bare.split("-");
    const first = segments[0] ?? "";
    const upper = first.toUpperCase();
    if (PUBLIC_PREFIXES.has(upper) || ERROR_PREFIXES.has(upper)) continue;
    // "Uranium-235", "Boeing-737": a capitalised word and a number is a name, not a reference.
    if (segments.length === 2 && /^[A-Z][a-z]{2,}$/.test(first) && /^\d+$/.test(segments[1] ?? "")) continue;
    const before = t.slice(Math.max(0, m.index - 24), m.index);
    if (PROGRAM_CODE_BEFORE_RE.test(before) || (ctx.hasCjk && PROGRAM_CODE_BEFORE_ZH_RE.test(before)))
      continue;
    if (PROGRAM_CODE_AFTER_RE.test(t.slice(m.index + code.length, m.index + code.length + 12))) continue;
    if (TOKEN_CONTEXT_RE.test(before))
      emit(ctx, m.index, m.index + code.length, "Token", "PL4", "code-token");
    else if (PROJECT_CONTEXT_RE.test(before)) {
      emit(ctx, m.index, m.index + code.length, "Project/Task ID", "PL4", "code-project");
    } else emit(ctx, m.index, m.index + code.length, "Reference Code", "PL3", "code");
  }
}
