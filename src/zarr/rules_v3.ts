/**
 * The rules one zarr v3 metadata document (`zarr.json`) must follow: the v3.0 core
 * specification (mandatory fields, data types, fill values, the codec pipeline with
 * exactly one array-to-bytes codec, extension fields) and what zarr-python 3 refuses
 * besides (codecs it does not know, grids other than `regular`, storage
 * transformers). Each problem names its rule; {@link validateHierarchy} lists them.
 *
 * @module
 */

import { checkCodecs, elementSize, type Report, show, SIZES } from "./rules_codecs.ts";

export type { Report } from "./rules_codecs.ts";

type Plain = Record<string, unknown>;

const isObject = (v: unknown): v is Plain => typeof v === "object" && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number | bigint =>
  (typeof v === "number" && Number.isInteger(v)) || typeof v === "bigint";

/** Extension data types zarr-python 3 reads. */
const EXTENSION_TYPES = new Set([
  "string",
  "bytes",
  "numpy.datetime64",
  "numpy.timedelta64",
  "fixed_length_utf32",
  "null_terminated_bytes",
  "struct",
]);

function checkFillValue(doc: Plain, dtype: string | undefined, report: Report): void {
  const fill = doc.fill_value;
  const bad = (expected: string) =>
    report("fill-value", `Expected fill_value ${expected}, found ${show(fill)}`);
  if (fill === undefined || fill === null) {
    bad("for the data type (the v3 specification requires one; zarrita writes null when none is given)");
    return;
  }
  if (dtype === undefined || !(dtype in SIZES || /^r\d+$/.test(dtype))) return;
  const floatOk = (v: unknown, size: number) =>
    typeof v === "number" || ["NaN", "Infinity", "-Infinity"].includes(v as string) ||
    (typeof v === "string" && new RegExp(`^0x[0-9a-fA-F]{${size * 2}}$`).test(v));
  if (dtype === "bool") {
    if (typeof fill !== "boolean") bad("true or false for bool");
  } else if (/^u?int\d+$/.test(dtype)) {
    const bits = BigInt(SIZES[dtype] * 8);
    const [min, max] = dtype.startsWith("u")
      ? [0n, 2n ** bits - 1n]
      : [-(2n ** (bits - 1n)), 2n ** (bits - 1n) - 1n];
    if (!isInt(fill) || BigInt(fill) < min || BigInt(fill) > max) {
      bad(`an integer from ${min} to ${max} for ${dtype}`);
    }
  } else if (dtype.startsWith("float")) {
    if (!floatOk(fill, SIZES[dtype])) {
      bad(`a number, "NaN", "Infinity", "-Infinity" or hex bits for ${dtype}`);
    }
  } else if (dtype.startsWith("complex")) {
    const half = SIZES[dtype] / 2;
    if (!(Array.isArray(fill) && fill.length === 2 && fill.every((v) => floatOk(v, half)))) {
      bad(`[real, imaginary] for ${dtype}`);
    }
  } else {
    const n = elementSize(dtype)!;
    if (!(Array.isArray(fill) && fill.length === n && fill.every((b) => isInt(b) && b >= 0 && b <= 255))) {
      bad(`${n} byte values for ${dtype}`);
    }
  }
}

const ARRAY_FIELDS = new Set([
  "zarr_format",
  "node_type",
  "shape",
  "data_type",
  "chunk_grid",
  "chunk_key_encoding",
  "fill_value",
  "codecs",
  "attributes",
  "storage_transformers",
  "dimension_names",
]);
const GROUP_FIELDS = new Set(["zarr_format", "node_type", "attributes", "consolidated_metadata"]);

function checkFields(doc: Plain, known: Set<string>, report: Report): void {
  for (const [name, value] of Object.entries(doc)) {
    if (known.has(name)) continue;
    if (isObject(value) && value.must_understand === false) {
      report(
        "unknown-field",
        `Expected only fields of the v3 specification, found ${name} (must_understand: false)`,
        "warning",
      );
    } else {
      report(
        "unknown-field",
        `Expected only fields of the v3 specification, found ${name} (readers must refuse it)`,
      );
    }
  }
}

/**
 * Checks a `zarr.json` document.
 *
 * @param doc The document as plain values.
 * @param report Where problems go.
 * @returns The node type, when the document names a valid one.
 *
 * @example A group
 * ```ts
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * import { checkV3Document } from "./rules_v3.ts";
 *
 * const rules: string[] = [];
 * const kind = checkV3Document({ zarr_format: 3, node_type: "group", color: "red" }, (rule) => void rules.push(rule));
 * assertEquals([kind, rules], ["group", ["unknown-field"]]);
 * ```
 */
export function checkV3Document(doc: unknown, report: Report): "array" | "group" | undefined {
  if (!isObject(doc)) {
    report("json", `Expected a JSON object, found ${Array.isArray(doc) ? "an array" : show(doc)}`);
    return undefined;
  }
  if (doc.zarr_format !== 3) report("zarr-format", `Expected zarr_format 3, found ${show(doc.zarr_format)}`);
  if (doc.attributes !== undefined && !isObject(doc.attributes)) {
    report("attributes", `Expected attributes to be an object, found ${show(doc.attributes)}`);
  }
  if (doc.node_type === "group") {
    checkFields(doc, GROUP_FIELDS, report);
    const cm = doc.consolidated_metadata;
    if (cm !== undefined && cm !== null) {
      if (!isObject(cm) || cm.kind !== "inline" || !isObject(cm.metadata) || cm.must_understand !== false) {
        report(
          "consolidated-metadata",
          `Expected consolidated_metadata as {"kind": "inline", "must_understand": false, "metadata": {…}}, found ${
            show(cm).slice(0, 80)
          }`,
        );
      }
    }
    return "group";
  }
  if (doc.node_type !== "array") {
    report("node-type", `Expected node_type "array" or "group", found ${show(doc.node_type)}`);
    return undefined;
  }
  checkFields(doc, ARRAY_FIELDS, report);
  checkArray(doc, report);
  return "array";
}

function checkArray(doc: Plain, report: Report): void {
  const shape = doc.shape;
  const shapeOk = Array.isArray(shape) && shape.every((n) => isInt(n) && n >= 0);
  if (!shapeOk) report("shape", `Expected shape to be a list of integers ≥ 0, found ${show(shape)}`);
  const ndim = Array.isArray(shape) ? shape.length : 0;

  const dt = doc.data_type;
  const dtName = typeof dt === "string"
    ? dt
    : isObject(dt) && typeof dt.name === "string"
    ? dt.name
    : undefined;
  if (dtName === undefined) {
    report("data-type", `Expected data_type to be a name or {"name": …}, found ${show(dt)}`);
  } else if (
    !(dtName in SIZES) && !(/^r\d+$/.test(dtName) && Number(dtName.slice(1)) % 8 === 0) &&
    !EXTENSION_TYPES.has(dtName)
  ) {
    report("data-type", `Expected a data_type zarr-python 3 knows, found ${show(dtName)}`);
  }
  const dtype = typeof dt === "string" ? dt : undefined;

  let chunkShape: number[] | undefined;
  const grid = doc.chunk_grid;
  if (!isObject(grid) || grid.name !== "regular") {
    report(
      "chunk-grid",
      `Expected chunk_grid {"name": "regular", …} (the one grid zarr-python 3 reads), found ${show(grid)}`,
    );
  } else {
    const cs = isObject(grid.configuration) ? grid.configuration.chunk_shape : undefined;
    if (!Array.isArray(cs) || cs.length !== ndim || !cs.every((n) => isInt(n) && n >= 1)) {
      report(
        "chunk-grid",
        `Expected chunk_shape of ${ndim} integers ≥ 1 (one per dimension), found ${show(cs)}`,
      );
    } else {
      chunkShape = cs.map(Number);
    }
  }

  const cke = doc.chunk_key_encoding;
  const ckeName = typeof cke === "string" ? cke : isObject(cke) ? cke.name : undefined;
  const sep = isObject(cke) && isObject(cke.configuration) ? cke.configuration.separator : undefined;
  if ((ckeName !== "default" && ckeName !== "v2") || (sep !== undefined && sep !== "/" && sep !== ".")) {
    report(
      "chunk-key-encoding",
      `Expected chunk_key_encoding "default" or "v2" with separator "/" or ".", found ${show(cke)}`,
    );
  }

  checkFillValue(doc, dtype, report);
  if (Array.isArray(doc.codecs) && doc.codecs.length === 0) {
    report(
      "array-bytes-codec",
      "Expected codecs to hold an array-to-bytes codec such as bytes, found [] (zarrita's default, refused by zarr-python 3)",
    );
  } else {
    checkCodecs(doc.codecs, { dtype, ndim, shape: chunkShape }, "codecs", report);
  }

  const names = doc.dimension_names;
  if (names === undefined || names === null) {
    report(
      "dimension-names",
      "Expected dimension_names (xarray refuses a v3 array without them), found none",
      "warning",
    );
  } else if (
    !Array.isArray(names) || names.length !== ndim || !names.every((n) => n === null || typeof n === "string")
  ) {
    report("dimension-names", `Expected dimension_names of ${ndim} strings or nulls, found ${show(names)}`);
  }

  const st = doc.storage_transformers;
  if (st !== undefined && !(Array.isArray(st) && st.length === 0)) {
    report(
      "storage-transformers",
      `Expected no storage_transformers (zarr-python 3 applies none), found ${show(st)}`,
    );
  }
}
