/**
 * GGUF v3 constants shared by our writer and reader: metadata value types, GGML tensor types and
 * their block sizes, token types and file types (numbers as defined by the GGUF specification).
 */

/** GGUF magic "GGUF" read as a little-endian uint32. */
export const GGUF_MAGIC = 0x46554747;
/** The GGUF version we write. */
export const GGUF_VERSION = 3;
/** Default tensor data alignment (`general.alignment`). */
export const GGUF_ALIGNMENT = 32;

/** Metadata value types. */
export const GgufValueType = {
  UINT8: 0,
  INT8: 1,
  UINT16: 2,
  INT16: 3,
  UINT32: 4,
  INT32: 5,
  FLOAT32: 6,
  BOOL: 7,
  STRING: 8,
  ARRAY: 9,
  UINT64: 10,
  INT64: 11,
  FLOAT64: 12,
} as const;
export type GgufValueTypeId = (typeof GgufValueType)[keyof typeof GgufValueType];

/** GGML tensor types we write or read. */
export const GgmlType = { F32: 0, F16: 1, Q4_0: 2, Q8_0: 8, BF16: 30 } as const;
export type GgmlTypeId = (typeof GgmlType)[keyof typeof GgmlType];

/** Block layout per tensor type: elements per block and bytes per block. */
export const GGML_BLOCK: Readonly<Record<GgmlTypeId, { readonly elements: number; readonly bytes: number }>> =
  {
    [GgmlType.F32]: { elements: 1, bytes: 4 },
    [GgmlType.F16]: { elements: 1, bytes: 2 },
    [GgmlType.BF16]: { elements: 1, bytes: 2 },
    [GgmlType.Q8_0]: { elements: 32, bytes: 34 },
    [GgmlType.Q4_0]: { elements: 32, bytes: 18 },
  };

/** Names of tensor types, for listings. */
export const GGML_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: "F32",
  1: "F16",
  2: "Q4_0",
  8: "Q8_0",
  30: "BF16",
};

/** `general.file_type` values (llama_ftype) for the outputs we produce. */
export const LlamaFileType = { ALL_F32: 0, MOSTLY_F16: 1, MOSTLY_Q4_0: 2, MOSTLY_Q8_0: 7 } as const;

/** Names of `general.file_type` values, for listings. */
export const FILE_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: "F32",
  1: "F16",
  2: "Q4_0",
  7: "Q8_0",
  32: "BF16",
};

/** `tokenizer.ggml.token_type` values. */
export const TokenType = { NORMAL: 1, UNKNOWN: 2, CONTROL: 3, USER_DEFINED: 4, UNUSED: 5, BYTE: 6 } as const;

/** Bytes taken by a tensor of `elements` elements of type `type`; throws when not a whole number of blocks. */
export function tensorByteSize(type: GgmlTypeId, elements: number): number {
  const block = GGML_BLOCK[type];
  if (elements % block.elements !== 0) {
    throw new RangeError(`tensor of ${elements} elements is not a whole number of ${block.elements}-blocks`);
  }
  return (elements / block.elements) * block.bytes;
}
