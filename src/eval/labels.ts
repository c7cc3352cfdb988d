/**
 * What the MemPrivacy-Bench evaluation compares (score.ts): a label (text, type, level), the levels scored,
 * and how type names compare — synonyms, descriptive types (partial text credit) and the structured types of
 * the structured leak rate.
 */
import type { PrivacyLevel } from "../taxonomy/levels.js";

/** A labelled or predicted value: its text, type and level. */
export interface Label {
  readonly text: string;
  readonly type: string;
  readonly level: PrivacyLevel;
}

/** The levels reported on. */
export const SCORED_LEVELS = ["PL2", "PL3", "PL4"] as const;
/** One of {@link SCORED_LEVELS}. */
export type ScoredLevel = (typeof SCORED_LEVELS)[number];

/** True for the levels the evaluation scores (PL2–PL4). */
export function isScored(level: PrivacyLevel): level is ScoredLevel {
  return level === "PL2" || level === "PL3" || level === "PL4";
}

/**
 * Descriptive types get partial text credit (longest common token run F1); values of any other type
 * must match exactly. The paper names the first nine; the rest are free-form types of the same nature.
 */
const DESCRIPTIVE_TYPES = new Set(
  [
    "Medical Health",
    "Transaction Record",
    "Itinerary/Trajectory",
    "Communication Content",
    "Judicial Record",
    "Sensitive Identity",
    "Relationship Info",
    "Debt/Loan Info",
    "Vulnerability Details",
    "Medical Record",
    "Accommodation Records",
    "Identity Background",
    "Assets/Income",
    "Assets/Net Worth",
    "Business Secret",
    "Third-Party Identifiable Info",
    "Financial Account",
    "Political Views/Stance",
    "Religious Beliefs",
    "Vehicle Information",
    "Credit Score",
    "Minor Information",
    "Classified Information",
    "System/Attack",
  ].map((t) => normType(t)),
);
const DESCRIPTIVE_WORDS_RE = /record|info|details|history|background|trajectory|content|stance|beliefs/i;

/**
 * Types counted by the structured leak rate: values with a fixed shape that rules can be expected to find
 * (contact points, document / card / account numbers, network addresses, one-time codes and credentials).
 */
export const STRUCTURED_TYPES: ReadonlySet<string> = new Set(
  [
    "Phone Number",
    "Email",
    "ID Number",
    "Passport Number",
    "Driver's License Number",
    "License Plate",
    "Document Number",
    "Bank/Payment Card Number",
    "Financial Account Number",
    "Internal IP",
    "IP Address",
    "MAC Address",
    "Verification Code",
    "Backup Code",
    "Recovery Code",
    "Password",
    "PIN",
    "Payment Security Code",
    "Token",
    "Session Token",
    "Key",
    "Private Key",
    "Database Connection String",
  ].map((t) => normType(t)),
);

/** Groups of type names treated as the same type (an offline stand-in for embedding similarity). */
const SYNONYM_GROUPS: readonly (readonly string[])[] = [
  [
    "Financial Account",
    "Bank/Payment Card Number",
    "Bank Card Number",
    "Card Number",
    "Bank Account",
    "IBAN",
  ],
  ["Verification Code", "OTP", "Backup Code", "Recovery Code", "One-Time Code", "2FA Code"],
  ["Token", "Session Token", "Access Token", "Auth Token", "API Token"],
  ["Key", "API Key", "Secret Key", "Access Key"],
  ["Password", "Passcode"],
  ["PIN", "PIN Code"],
  ["IP Address", "Network Identifier", "MAC Address", "Internal IP", "Device ID"],
  ["ID Number", "National ID", "Resident ID", "SSN", "Document Number"],
  ["Passport Number", "Passport"],
  ["Driver's License Number", "Driver License Number", "Driving Licence Number"],
  ["Phone Number", "Phone", "Mobile Number", "Telephone Number"],
  ["Email", "Email Address"],
  ["Real Name", "Name", "Full Name"],
  ["Project/Task ID", "Project Code", "Reference Code", "Reference ID", "Ticket ID"],
  ["Company/Organization Info", "Employer/Company Name", "Company Name", "Organization"],
  ["Assets/Income", "Assets/Net Worth", "Income"],
  ["Medical Health", "Medical Record"],
  ["License Plate", "Licence Plate", "Vehicle Plate"],
  ["Security Question Answer", "Security Answer", "Security Question"],
  ["Payment Security Code", "CVV", "CVC"],
];

function normType(type: string): string {
  return type.toLowerCase().replace(/[^a-z0-9]+/g, "");
}

const CANONICAL = new Map<string, string>();
for (const group of SYNONYM_GROUPS) {
  const head = normType(group[0] ?? "");
  for (const name of group) CANONICAL.set(normType(name), head);
}

/** The canonical name of a type (synonyms collapse to one name; case and punctuation are ignored). */
export function canonicalType(type: string): string {
  const n = normType(type);
  return CANONICAL.get(n) ?? n;
}

/** True when two type names mean the same type. */
export function typesMatch(a: string, b: string): boolean {
  return canonicalType(a) === canonicalType(b);
}

/** True for descriptive types (partial text credit). */
export function isDescriptiveType(type: string): boolean {
  return DESCRIPTIVE_TYPES.has(normType(type)) || DESCRIPTIVE_WORDS_RE.test(type);
}

/** True for the types counted by the structured leak rate. */
export function isStructuredType(type: string): boolean {
  return STRUCTURED_TYPES.has(normType(type));
}
