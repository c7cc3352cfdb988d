// Credentials by format: provider API keys and tokens, JWTs, PEM private keys, connection strings, URL
// credentials, bearer tokens and key=value secrets in config-like text.
import { dashOffsets, emit, execAll, hasChar, type RuleContext } from "./context.js";
import { hasKeyword, hintAtKeywords, KW, stickyHint } from "./keywords.js";

interface FormatRule {
  readonly id: string;
  readonly re: RegExp;
  readonly type: string;
  /** Cheap test that must pass for the regex to run. */
  readonly hint: string | RegExp;
}

// "_" may glue a key to a variable name ("KEY_sk-proj-…"); a letter, digit or "-" before it makes it part of
// a longer identifier.
const B = "(?<![A-Za-z0-9-])";
const E = "(?![A-Za-z0-9_-])";
const FORMATS: readonly FormatRule[] = [
  {
    id: "aws-access-key",
    hint: /A(?:KIA|SIA|GPA|IDA|ROA|NPA|NVA|IPA)/,
    type: "Key",
    re: new RegExp(`${B}(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}${E}`, "g"),
  },
  { id: "google-api-key", hint: "AIza", type: "Key", re: new RegExp(`${B}AIza[0-9A-Za-z_-]{35}${E}`, "g") },
  {
    id: "anthropic-key",
    hint: "sk-ant-",
    type: "Key",
    re: new RegExp(`${B}sk-ant-[A-Za-z0-9]{2,10}-[A-Za-z0-9_-]{20,200}${E}`, "g"),
  },
  {
    id: "openai-key",
    hint: "sk-",
    type: "Key",
    re: new RegExp(`${B}sk-(?!ant-)(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,200}${E}`, "g"),
  },
  {
    id: "github-token",
    hint: /gh[pousr]_|github_pat_/,
    type: "Token",
    re: new RegExp(`${B}(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})${E}`, "g"),
  },
  {
    id: "slack-token",
    hint: "xox",
    type: "Token",
    re: new RegExp(`${B}xox[abprs]-[A-Za-z0-9-]{10,200}${E}`, "g"),
  },
  {
    id: "stripe-key",
    hint: "_live_",
    type: "Key",
    re: new RegExp(`${B}(?:sk|rk|pk)_live_[A-Za-z0-9]{10,200}${E}`, "g"),
  },
  {
    id: "stripe-test-key",
    hint: "_test_",
    type: "Key",
    re: new RegExp(`${B}(?:sk|rk)_test_[A-Za-z0-9]{10,200}${E}`, "g"),
  },
  {
    id: "jwt",
    hint: "eyJ",
    type: "Token",
    re: new RegExp(
      `${B}eyJ[A-Za-z0-9_-]{5,2000}\\.eyJ[A-Za-z0-9_-]{5,4000}\\.[A-Za-z0-9_-]{8,1000}${E}`,
      "g",
    ),
  },
];

// Provider formats by a rare character each holds (the format's index in FORMATS → the test below that must
// pass): "sk-" and "xox?-" hold a "-"; "gh?_", "github_pat_", "_live_" and "_test_" a "_"; "eyJ" a "J"; the AWS
// prefixes and "AIza" an "A" and a capital.
const BY_DASH = 1;
const BY_UNDERSCORE = 2;
const BY_J = 4;
const BY_A = 8;
const FORMAT_NEEDS: readonly number[] = [
  BY_A,
  BY_A,
  BY_DASH,
  BY_DASH,
  BY_UNDERSCORE,
  BY_DASH,
  BY_UNDERSCORE,
  BY_UNDERSCORE,
  BY_J,
];
// The second letter of every AWS prefix and of "AIza".
const AWS_OR_GOOGLE_NEXT = "GIKNRS";

function hasAt(t: string, i: number, s: string): boolean {
  return i >= 0 && t.startsWith(s, i);
}

/**
 * Which provider formats can occur, as BY_* bits: each occurrence of the rare characters (found by a builtin
 * search) is checked for the letters around it that a format needs. No format whose bit is clear can match.
 */
export function formatBits(ctx: RuleContext): number {
  const t = ctx.text;
  let bits = 0;
  for (const i of dashOffsets(ctx))
    if (hasAt(t, i - 2, "sk") || hasAt(t, i - 4, "xox")) {
      bits |= BY_DASH;
      break;
    }
  for (let i = t.indexOf("_"); i >= 0; i = t.indexOf("_", i + 1))
    if (
      hasAt(t, i - 3, "gh") ||
      hasAt(t, i - 6, "github") ||
      hasAt(t, i + 1, "live_") ||
      hasAt(t, i + 1, "test_")
    ) {
      bits |= BY_UNDERSCORE;
      break;
    }
  if (!ctx.hasUpper) return bits;
  for (let i = t.indexOf("J"); i >= 0; i = t.indexOf("J", i + 1))
    if (hasAt(t, i - 2, "ey")) {
      bits |= BY_J;
      break;
    }
  for (let i = t.indexOf("A"); i >= 0; i = t.indexOf("A", i + 1))
    if (i + 1 < t.length && AWS_OR_GOOGLE_NEXT.includes(t.charAt(i + 1))) {
      bits |= BY_A;
      break;
    }
  return bits;
}

// A PEM block is a header, 1–16,000 characters, and the first footer after them. Matched as two scans and a
// binary search: one lazy pattern would walk 16,000 characters from every unterminated header.
const PEM_BEGIN_RE = /-----BEGIN (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----/g;
const PEM_END_RE = /-----END (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----/g;
const PEM_MAX_BODY = 16000;

/** [start, end) of each PEM private-key block, as `header[\s\S]{1,16000}?footer` would match them. */
function pemBlocks(t: string): [number, number][] {
  const footers: [number, number][] = [];
  PEM_END_RE.lastIndex = 0;
  for (let m = PEM_END_RE.exec(t); m !== null; m = PEM_END_RE.exec(t)) {
    footers.push([m.index, m.index + m[0].length]);
    PEM_END_RE.lastIndex = m.index + 1;
  }
  const out: [number, number][] = [];
  if (footers.length === 0) return out;
  PEM_BEGIN_RE.lastIndex = 0;
  for (let m = PEM_BEGIN_RE.exec(t); m !== null; m = PEM_BEGIN_RE.exec(t)) {
    const bodyStart = m.index + m[0].length;
    // First footer starting after at least one body character.
    let lo = 0;
    let hi = footers.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((footers[mid] as [number, number])[0] < bodyStart + 1) lo = mid + 1;
      else hi = mid;
    }
    const footer = footers[lo];
    if (footer !== undefined && footer[0] - bodyStart <= PEM_MAX_BODY) {
      out.push([m.index, footer[1]]);
      PEM_BEGIN_RE.lastIndex = footer[1];
    } else {
      PEM_BEGIN_RE.lastIndex = m.index + 1;
    }
  }
  return out;
}
const DB_SCHEMES =
  "postgres|postgresql|mysql|mariadb|mongodb(?:\\+srv)?|redis|rediss|amqps?|mssql|sqlserver|oracle|jdbc:[a-z]{2,12}|clickhouse|cockroachdb|couchdb|neo4j(?:\\+s)?|bolt";
// scheme://user:pass@host… — the whole URL for databases.
const DB_URL_RE = new RegExp(
  `(?<![A-Za-z0-9+.-])(?:${DB_SCHEMES})://[^\\s:/@'"<>]{1,128}:[^\\s@<>]{1,256}@[^\\s'"<>，。；]{1,512}`,
  "gi",
);
// Any other scheme with credentials: only the "user:pass" part is the secret.
const URL_CRED_RE =
  /(?<![A-Za-z0-9+.-])[a-z][a-z0-9+.-]{1,20}:\/\/([^\s:/@'"<>]{1,128}:[^\s@/'"<>]{1,256})@[A-Za-z0-9.-]{1,253}/dgi;
const ADO_RE =
  /(?<![A-Za-z])(?:Server|Data Source|Host|Address|Addr)\s*=[^"'\n]{1,400}?(?:Password|Pwd)\s*=\s*(?:"[^"\n]{1,128}"|'[^'\n]{1,128}'|[^;"'\s]{1,128});?(?:[^;"'\s=]{1,40}=[^;"'\n]{0,200};?){0,10}/gi;
const BEARER_RE = /(?<![A-Za-z])Bearer\s+([A-Za-z0-9._~+/-]{16,1000}=*)/dgi;
// api_key = "…", "secret": "…", TOKEN=… in config-like text: the value only.
const KV_SECRET_RE =
  /(?<![A-Za-z0-9])((?:[A-Za-z0-9]{1,20}[_-])?(?:api[_-]?key|apikey|secret(?:[_-]?key)?|access[_-]?token|auth[_-]?token|refresh[_-]?token|client[_-]?secret|private[_-]?key|token))["']?\s*[:=]\s*["']?([A-Za-z0-9._~+/=-]{16,512})/dgi;

// The key = value hint, tried at the starts of the keyword scan's key/secret/token words (every match starts
// at one, so it holds somewhere exactly when it holds at one of them).
export const KV_HINT_RE = /(?:[Kk]ey|KEY|[Ss]ecret|SECRET|[Tt]oken|TOKEN)["']?\s*[:=]/;
const KV_HINT_AT = stickyHint(KV_HINT_RE);
// The password words of an ADO.NET connection string.
export const PASSWORD_HINT_RE = /password|pwd/i;
const PASSWORD_HINT_AT = stickyHint(PASSWORD_HINT_RE);

/** Whether {@link KV_HINT_RE} matches in the context's text. */
export function kvHint(ctx: RuleContext): boolean {
  return hintAtKeywords(ctx, KW.kv, KV_HINT_AT);
}

function hasLetterAndDigit(s: string): boolean {
  return /[A-Za-z]/.test(s) && /\d/.test(s);
}

/** Finds credentials by format (Key / Token / Private Key / Database Connection String / Password, PL4). */
export function detectSecrets(ctx: RuleContext): void {
  const t = ctx.text;
  const possible = formatBits(ctx);
  for (let k = 0; possible !== 0 && k < FORMATS.length; k++) {
    const f = FORMATS[k] as FormatRule;
    if ((possible & (FORMAT_NEEDS[k] as number)) === 0) continue;
    if (typeof f.hint === "string" ? !t.includes(f.hint) : !f.hint.test(t)) continue;
    for (const m of execAll(f.re, t)) emit(ctx, m.index, m.index + m[0].length, f.type, "PL4", f.id);
  }
  if (ctx.hasUpper && hasKeyword(ctx, KW.kv) && dashOffsets(ctx).length > 0 && t.includes("PRIVATE KEY")) {
    for (const [start, end] of pemBlocks(t)) emit(ctx, start, end, "Private Key", "PL4", "pem");
  }
  if (hasChar(ctx, "@") && t.includes("://")) {
    for (const m of execAll(DB_URL_RE, t)) {
      const end = m.index + m[0].replace(/[.,;:!?)\]}]+$/, "").length;
      emit(ctx, m.index, end, "Database Connection String", "PL4", "db-url");
    }
    for (const m of execAll(URL_CRED_RE, t)) {
      const idx = m.indices?.[1];
      if (idx !== undefined) emit(ctx, idx[0], idx[1], "Password", "PL4", "url-credentials");
    }
  }
  if (hasChar(ctx, "=") && hintAtKeywords(ctx, KW.password, PASSWORD_HINT_AT)) {
    for (const m of execAll(ADO_RE, t)) {
      const end = m.index + m[0].replace(/[\s.,]+$/, "").length;
      emit(ctx, m.index, end, "Database Connection String", "PL4", "ado-connection-string");
    }
  }
  if (ctx.hasUpper && t.includes("Bearer")) {
    for (const m of execAll(BEARER_RE, t)) {
      const idx = m.indices?.[1];
      if (idx !== undefined) emit(ctx, idx[0], idx[1], "Token", "PL4", "bearer");
    }
  }
  if (hasKeyword(ctx, KW.kv) && (hasChar(ctx, ":") || hasChar(ctx, "=")) && kvHint(ctx)) {
    for (const m of execAll(KV_SECRET_RE, t)) {
      const idx = m.indices?.[2];
      const value = m[2];
      if (idx === undefined || value === undefined || !hasLetterAndDigit(value)) continue;
      const type = /key|secret/i.test(m[1] ?? "") ? "Key" : "Token";
      emit(ctx, idx[0], idx[1], type, "PL4", "kv-secret");
    }
  }
}
