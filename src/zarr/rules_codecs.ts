/**
 * The rules of a zarr v3 codec pipeline: exactly one array-to-bytes codec,
 * array-to-array codecs before it and bytes-to-bytes codecs after it, names that
 * zarr-python 3 knows, and each codec's configuration as its specification
 * requires (`bytes` endianness, `blosc`, `gzip`, `zstd`, `transpose`, and
 * `sharding_indexed` with its inner and index codecs).
 *
 * @module
 */

/**
 * Reports one problem of the document being checked.
 *
 * @example Collect problems
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * import type { Report } from "./rules_codecs.ts";
 *
 * const seen: string[] = [];
 * const report: Report = (rule) => void seen.push(rule);
 * report("fill-value", "Expected a fill value, found none");
 * assertEquals(seen, ["fill-value"]);
 * ```
 */
export type Report = (rule: string, message: string, severity?: "error" | "warning") => void;

type Plain = Record<string, unknown>;

const isObject = (v: unknown): v is Plain => typeof v === "object" && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number | bigint =>
  (typeof v === "number" && Number.isInteger(v)) || typeof v === "bigint";
/**
 * A value as JSON for a message (`bigint`s as numbers).
 *
 * @param v The value.
 * @returns Its JSON text, or `nothing` for `undefined`.
 *
 * @example Show a bigint
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * import { show } from "./rules_codecs.ts";
 *
 * assertEquals([show([1n, "a"]), show(undefined)], ['["1","a"]', "nothing"]);
 * ```
 */
export const show = (v: unknown): string =>
  v === undefined ? "nothing" : JSON.stringify(v, (_k, x) => typeof x === "bigint" ? `${x}` : x) ?? String(v);

/**
 * Bytes per element of the core data types.
 *
 * @example Bytes of a float64
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * import { SIZES } from "./rules_codecs.ts";
 *
 * assertEquals(SIZES.float64, 8);
 * ```
 */
export const SIZES: Record<string, number> = {
  bool: 1,
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  float16: 2,
  int32: 4,
  uint32: 4,
  float32: 4,
  int64: 8,
  uint64: 8,
  float64: 8,
  complex64: 8,
  complex128: 16,
};

type Kind = "array_to_array" | "array_to_bytes" | "bytes_to_bytes";

/** Codecs zarr-python 3 knows by their v3 names, and what they map. */
const CODECS: Record<string, Kind> = {
  transpose: "array_to_array",
  bytes: "array_to_bytes",
  sharding_indexed: "array_to_bytes",
  "vlen-utf8": "array_to_bytes",
  "vlen-bytes": "array_to_bytes",
  blosc: "bytes_to_bytes",
  gzip: "bytes_to_bytes",
  zstd: "bytes_to_bytes",
  crc32c: "bytes_to_bytes",
};
const NUMCODECS_ARRAY = new Set(["delta", "bitround", "fixedscaleoffset", "quantize", "packbits", "astype"]);
const NUMCODECS_BYTES = new Set(["pcodec", "zfpy"]);

function codecKind(name: string): Kind | undefined {
  if (name in CODECS) return CODECS[name];
  if (!name.startsWith("numcodecs.")) return undefined;
  const id = name.slice("numcodecs.".length);
  return NUMCODECS_ARRAY.has(id)
    ? "array_to_array"
    : NUMCODECS_BYTES.has(id)
    ? "array_to_bytes"
    : "bytes_to_bytes";
}

/**
 * What the codecs of an array (or of a shard's inner chunks) encode.
 *
 * @example A 2-D float32 chunk
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * import type { Chunk } from "./rules_codecs.ts";
 *
 * const chunk: Chunk = { dtype: "float32", ndim: 2, shape: [10, 10] };
 * assertEquals(chunk.ndim, 2);
 * ```
 */
export interface Chunk {
  /** The data type name, when it is a plain name. */
  dtype: string | undefined;
  /** Dimensions. */
  ndim: number;
  /** The chunk shape, when valid. */
  shape: number[] | undefined;
}

/**
 * Bytes per element of a data type, when it has a fixed size.
 *
 * @param dtype The data type name.
 * @returns Its size in bytes, or `undefined` when it has none (or is unknown).
 *
 * @example Core and raw types
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * import { elementSize } from "./rules_codecs.ts";
 *
 * assertEquals([elementSize("int16"), elementSize("r24"), elementSize("string")], [2, 3, undefined]);
 * ```
 */
export function elementSize(dtype: string | undefined): number | undefined {
  if (dtype === undefined) return undefined;
  if (dtype in SIZES) return SIZES[dtype];
  const raw = /^r(\d+)$/.exec(dtype);
  return raw ? Number(raw[1]) / 8 : undefined;
}

function checkCodecConfig(name: string, config: Plain, chunk: Chunk, where: string, report: Report): void {
  const bad = (message: string) => report("codec-configuration", `Expected ${where} ${message}`);
  const level = (min: number, max: number) => {
    if (config.level !== undefined && !(isInt(config.level) && config.level >= min && config.level <= max)) {
      bad(`(${name}) to have an integer level from ${min} to ${max}, found ${show(config.level)}`);
    }
  };
  switch (name) {
    case "bytes": {
      const size = elementSize(chunk.dtype);
      if (config.endian === undefined) {
        if (size !== undefined && size > 1) {
          bad(`(bytes) to give endian ("little" or "big") for ${chunk.dtype}, found none`);
        }
      } else if (config.endian !== "little" && config.endian !== "big") {
        bad(`(bytes) endian to be "little" or "big", found ${show(config.endian)}`);
      }
      break;
    }
    case "transpose": {
      const order = config.order;
      const ok = Array.isArray(order) && order.length === chunk.ndim &&
        [...order].sort((a, b) => Number(a) - Number(b)).every((v, i) => v === i);
      if (!ok) bad(`(transpose) order to be a permutation of 0…${chunk.ndim - 1}, found ${show(order)}`);
      break;
    }
    case "blosc": {
      const cnames = ["blosclz", "lz4", "lz4hc", "snappy", "zlib", "zstd"];
      if (!cnames.includes(config.cname as string)) {
        bad(`(blosc) cname among ${cnames.join(", ")}, found ${show(config.cname)}`);
      }
      if (!(isInt(config.clevel) && config.clevel >= 0 && config.clevel <= 9)) {
        bad(`(blosc) clevel from 0 to 9, found ${show(config.clevel)}`);
      }
      const shuffles = ["noshuffle", "shuffle", "bitshuffle"];
      if (!shuffles.includes(config.shuffle as string)) {
        bad(`(blosc) shuffle among ${shuffles.join(", ")}, found ${show(config.shuffle)}`);
      }
      if (config.shuffle !== "noshuffle" && !(isInt(config.typesize) && config.typesize >= 1)) {
        bad(`(blosc) typesize of at least 1 with shuffle, found ${show(config.typesize)}`);
      }
      if (config.blocksize !== undefined && !(isInt(config.blocksize) && config.blocksize >= 0)) {
        bad(`(blosc) blocksize of at least 0, found ${show(config.blocksize)}`);
      }
      break;
    }
    case "gzip":
      level(0, 9);
      break;
    case "zstd":
      level(-131072, 22);
      if (config.checksum !== undefined && typeof config.checksum !== "boolean") {
        bad(`(zstd) checksum to be true or false, found ${show(config.checksum)}`);
      }
      break;
    case "sharding_indexed":
      checkSharding(config, chunk, where, report);
  }
}

function checkSharding(config: Plain, chunk: Chunk, where: string, report: Report): void {
  const inner = config.chunk_shape;
  const fits = Array.isArray(inner) && inner.length === chunk.ndim && inner.every((n) => isInt(n) && n >= 1);
  if (!fits) {
    report(
      "codec-configuration",
      `Expected ${where} (sharding_indexed) chunk_shape of ${chunk.ndim} positive integers, found ${
        show(inner)
      }`,
    );
  } else if (chunk.shape && inner.some((n, i) => chunk.shape![i] % Number(n) !== 0)) {
    report(
      "codec-configuration",
      `Expected ${where} (sharding_indexed) chunk_shape ${show(inner)} to divide the chunk shape ${
        show(chunk.shape)
      }`,
    );
  }
  const innerChunk: Chunk = { ...chunk, shape: fits ? inner.map(Number) : undefined };
  checkCodecs(config.codecs, innerChunk, `${where}.configuration.codecs`, report);
  const index: Chunk = { dtype: "uint64", ndim: chunk.ndim + 1, shape: undefined };
  checkCodecs(config.index_codecs, index, `${where}.configuration.index_codecs`, report);
  if (Array.isArray(config.index_codecs)) {
    for (const codec of config.index_codecs) {
      const name = isObject(codec) ? codec.name : codec;
      if (!["bytes", "crc32c", "transpose"].includes(name as string)) {
        report(
          "codec-configuration",
          `Expected ${where} (sharding_indexed) index_codecs of fixed size (bytes, crc32c), found ${
            show(name)
          }`,
        );
      }
    }
  }
  const location = config.index_location;
  if (location !== undefined && location !== "start" && location !== "end") {
    report(
      "codec-configuration",
      `Expected ${where} (sharding_indexed) index_location "start" or "end", found ${show(location)}`,
    );
  }
}

/**
 * Checks a codec list: one array-to-bytes codec, array-to-array codecs before it,
 * bytes-to-bytes after it, names zarr-python knows, valid configurations.
 *
 * @param codecs The `codecs` value.
 * @param chunk What the codecs encode.
 * @param where The field's name in messages.
 * @param report Where problems go.
 *
 * @example zarrita's default pipeline
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * import { checkCodecs } from "./rules_codecs.ts";
 *
 * const rules: string[] = [];
 * checkCodecs([{ name: "zstd", configuration: { level: 3 } }], { dtype: "float32", ndim: 1, shape: [4] }, "codecs", (rule) => void rules.push(rule));
 * assertEquals(rules, ["array-bytes-codec"]);
 * ```
 */
export function checkCodecs(codecs: unknown, chunk: Chunk, where: string, report: Report): void {
  if (!Array.isArray(codecs)) {
    report("codecs", `Expected ${where} to be a list of codecs, found ${show(codecs)}`);
    return;
  }
  const kinds: Kind[] = [];
  codecs.forEach((codec, i) => {
    const at = `${where}[${i}]`;
    let name: unknown = codec;
    if (isObject(codec)) {
      name = codec.name;
      if (codec.configuration !== undefined && !isObject(codec.configuration)) {
        report("codecs", `Expected ${at}.configuration to be an object, found ${show(codec.configuration)}`);
      }
    } else if (typeof codec === "string") {
      report(
        "codec-shorthand",
        `Expected ${at} as an object with a name (zarr-python 3 reads no short-hand codec names), found ${
          show(codec)
        }`,
        "warning",
      );
    }
    if (typeof name !== "string") {
      report("codecs", `Expected ${at} to be a codec object with a name, found ${show(codec)}`);
      return;
    }
    const kind = codecKind(name);
    if (kind === undefined) {
      report("codec-unknown", `Expected ${at} to be a codec zarr-python 3 knows, found ${show(name)}`);
      return;
    }
    kinds.push(kind);
    const config = isObject(codec) && isObject(codec.configuration) ? codec.configuration : {};
    checkCodecConfig(name, config, chunk, at, report);
  });
  const toBytes = kinds.filter((k) => k === "array_to_bytes").length;
  if (toBytes !== 1 && kinds.length === codecs.length) {
    report(
      "array-bytes-codec",
      `Expected exactly one array-to-bytes codec (such as bytes) in ${where}, found ${
        toBytes === 0 ? "none" : toBytes
      }`,
    );
  }
  const rank = { array_to_array: 0, array_to_bytes: 1, bytes_to_bytes: 2 };
  if (kinds.some((k, i) => i > 0 && rank[k] < rank[kinds[i - 1]])) {
    report(
      "codec-order",
      `Expected ${where} in the order array-to-array, array-to-bytes, bytes-to-bytes, found ${
        show(codecs.map((c) => isObject(c) ? c.name : c))
      }`,
    );
  }
}
