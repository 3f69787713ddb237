/**
 * A zarr v3 shard encoder for test fixtures, written from the `sharding_indexed`
 * codec specification (zarr-specs, codecs/sharding-indexed/v1.0): the encoded inner
 * chunks one after another, then the index — one (offset, nbytes) pair of
 * little-endian uint64 per inner chunk, in row-major order of the inner chunks,
 * 2^64 − 1 for both when an inner chunk is absent — encoded with the index codecs
 * `bytes` (little endian) and `crc32c` (the CRC-32C of the index, little-endian
 * uint32, appended). Nothing here can write shards for users: zarrita has no
 * shard writer, and this one encodes only `bytes` inner chunks.
 */

const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32C (Castagnoli), as the `crc32c` codec computes it. */
export function crc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) crc = CRC32C_TABLE[(crc ^ b) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** 2^64 − 1: the index entry of an absent inner chunk. */
export const MISSING = 0xffffffffffffffffn;

/**
 * One shard: the inner chunks (already encoded; `undefined` = absent) in row-major
 * order, then the index with its CRC-32C.
 */
export function encodeShard(inner: (Uint8Array | undefined)[]): Uint8Array {
  const dataLength = inner.reduce((n, c) => n + (c?.length ?? 0), 0);
  const indexLength = inner.length * 16;
  const out = new Uint8Array(dataLength + indexLength + 4);
  const index = new DataView(out.buffer, dataLength, indexLength);
  let offset = 0;
  inner.forEach((chunk, i) => {
    if (chunk === undefined) {
      index.setBigUint64(i * 16, MISSING, true);
      index.setBigUint64(i * 16 + 8, MISSING, true);
      return;
    }
    out.set(chunk, offset);
    index.setBigUint64(i * 16, BigInt(offset), true);
    index.setBigUint64(i * 16 + 8, BigInt(chunk.length), true);
    offset += chunk.length;
  });
  new DataView(out.buffer).setUint32(
    dataLength + indexLength,
    crc32c(out.subarray(dataLength, dataLength + indexLength)),
    true,
  );
  return out;
}

/** A sharded int32 array, 2-D: its `zarr.json` and its shard objects (keys relative to the array). */
export interface ShardedFixture {
  metadata: Record<string, unknown>;
  objects: Map<string, Uint8Array>;
  /** The array's values, row-major, absent inner chunks at the fill value. */
  values: Int32Array;
}

/**
 * Builds a 2-D int32 array of `shape`, in shards of `shardShape` made of inner
 * chunks of `innerShape`, value `i * 1000 + j` at (i, j); inner chunks for which
 * `absent(shardCoord, innerCoord)` is true are left out (read as `fillValue`).
 */
export function shardedInt32(
  shape: [number, number],
  shardShape: [number, number],
  innerShape: [number, number],
  options: { fillValue?: number; absent?: (shard: number[], inner: number[]) => boolean } = {},
): ShardedFixture {
  const { fillValue = -1, absent = () => false } = options;
  const values = new Int32Array(shape[0] * shape[1]);
  const objects = new Map<string, Uint8Array>();
  const perShard = [shardShape[0] / innerShape[0], shardShape[1] / innerShape[1]];
  for (let si = 0; si * shardShape[0] < shape[0]; si++) {
    for (let sj = 0; sj * shardShape[1] < shape[1]; sj++) {
      const inner: (Uint8Array | undefined)[] = [];
      for (let ci = 0; ci < perShard[0]; ci++) {
        for (let cj = 0; cj < perShard[1]; cj++) {
          const missing = absent([si, sj], [ci, cj]);
          const chunk = new Int32Array(innerShape[0] * innerShape[1]);
          for (let y = 0; y < innerShape[0]; y++) {
            for (let x = 0; x < innerShape[1]; x++) {
              const i = si * shardShape[0] + ci * innerShape[0] + y;
              const j = sj * shardShape[1] + cj * innerShape[1] + x;
              const v = missing ? fillValue : i * 1000 + j;
              chunk[y * innerShape[1] + x] = v;
              if (i < shape[0] && j < shape[1]) values[i * shape[1] + j] = v;
            }
          }
          inner.push(missing ? undefined : new Uint8Array(chunk.buffer));
        }
      }
      objects.set(`c/${si}/${sj}`, encodeShard(inner));
    }
  }
  const bytes = { name: "bytes", configuration: { endian: "little" } };
  const metadata = {
    zarr_format: 3,
    node_type: "array",
    shape,
    data_type: "int32",
    chunk_grid: { name: "regular", configuration: { chunk_shape: shardShape } },
    chunk_key_encoding: { name: "default", configuration: { separator: "/" } },
    fill_value: fillValue,
    codecs: [{
      name: "sharding_indexed",
      configuration: {
        chunk_shape: innerShape,
        codecs: [bytes],
        index_codecs: [bytes, { name: "crc32c" }],
        index_location: "end",
      },
    }],
    dimension_names: ["y", "x"],
    attributes: {},
  };
  return { metadata, objects, values };
}
