/**
 * Standard type tags the MemPrivacy model was trained to emit, with their levels.
 * Free-form types outside this table are valid everywhere; this table only supplies defaults.
 */
import type { PrivacyLevel } from "./levels.js";

/** Standard type tags by level. */
export const STANDARD_TYPES = {
  PL4: [
    "Password",
    "Verification Code",
    "Token",
    "Key",
    "Private Key",
    "Payment Security Code",
    "Database Connection String",
    "Vulnerability Details",
    "Business Secret",
  ],
  PL3: [
    "ID Number",
    "Financial Account",
    "Transaction Record",
    "Assets/Income",
    "Medical Health",
    "Precise Location",
    "Itinerary/Trajectory",
    "Biometrics",
    "Communication Content",
    "Sensitive Identity",
    "Judicial Record",
  ],
  PL2: [
    "Real Name",
    "Phone Number",
    "Email",
    "Detailed Address",
    "Account ID/Username",
    "Network Identifier",
    "Identity Background",
    "Relationship Info",
  ],
} as const satisfies Record<Exclude<PrivacyLevel, "PL1">, readonly string[]>;

const LEVEL_BY_TYPE = new Map<string, PrivacyLevel>(
  (Object.entries(STANDARD_TYPES) as [PrivacyLevel, readonly string[]][]).flatMap(([level, tags]) =>
    tags.map((tag) => [tag.toLowerCase(), level] as const),
  ),
);

/** The level a standard tag was trained with, or undefined for a free-form type. */
export function standardLevelOf(type: string): PrivacyLevel | undefined {
  return LEVEL_BY_TYPE.get(type.trim().toLowerCase());
}
