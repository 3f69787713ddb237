"""Checks a v3 hierarchy written by zarrita and consolidated by consolidateMetadata
(downloaded with `swift download`) with Python only: the root zarr.json holds the
consolidated metadata in the form zarr-python 3 reads (ConsolidatedMetadata.from_dict:
kind "inline", flat relative paths, each entry a v3 document whose parent is in the
map), each array passes the checks zarr-python 3's ArrayV3Metadata makes (one
array-to-bytes codec, a fill value, dimension_names per dimension), and every chunk
decodes with numcodecs (bytes + zstd) to the values the TypeScript side wrote.

usage: check_v3.py DIR EXPECTED_JSON
"""
import json
import os
import sys

import numcodecs
import numpy as np

root, expected = sys.argv[1], json.load(open(sys.argv[2]))
doc = json.load(open(os.path.join(root, "zarr.json")))
assert doc["zarr_format"] == 3 and doc["node_type"] == "group", doc
cm = doc["consolidated_metadata"]
assert cm["kind"] == "inline" and cm["must_understand"] is False and isinstance(cm["metadata"], dict), cm
metadata = cm["metadata"]
for path, meta in metadata.items():
    assert not path.startswith("/") and meta["zarr_format"] == 3, path
    parent = path.rsplit("/", 1)[0] if "/" in path else ""
    assert parent == "" or metadata[parent]["node_type"] == "group", path
    on_disk = json.load(open(os.path.join(root, path, "zarr.json")))
    if meta["node_type"] == "group":
        assert meta["consolidated_metadata"] == {"kind": "inline", "must_understand": False, "metadata": {}}, path
        assert meta["attributes"] == on_disk.get("attributes", {}), path
        continue
    assert meta == on_disk, path
    to_bytes = [c for c in meta["codecs"] if c["name"] in ("bytes", "sharding_indexed", "vlen-utf8", "vlen-bytes")]
    assert len(to_bytes) == 1, (path, meta["codecs"])
    assert meta["fill_value"] is not None, path
    assert len(meta["dimension_names"]) == len(meta["shape"]), path

decoded = {}
for path, values in expected.items():
    meta = metadata[path]
    shape, chunk_shape = meta["shape"], meta["chunk_grid"]["configuration"]["chunk_shape"]
    endian = "<" if meta["codecs"][0]["configuration"]["endian"] == "little" else ">"
    dtype = np.dtype(endian + {"float32": "f4", "float64": "f8", "int32": "i4", "int16": "i2"}[meta["data_type"]])
    out = np.full(shape, np.nan if dtype.kind == "f" else meta["fill_value"], dtype=dtype)
    grid = [-(-s // c) for s, c in zip(shape, chunk_shape)]
    for index in np.ndindex(*grid):
        key = os.path.join(root, path, "c", *map(str, index))
        if not os.path.exists(key):
            continue
        raw = open(key, "rb").read()
        for codec in meta["codecs"][1:]:
            assert codec["name"] == "zstd", codec
            raw = numcodecs.Zstd().decode(raw)
        chunk = np.frombuffer(raw, dtype=dtype).reshape(chunk_shape)
        sel = tuple(slice(i * c, min((i + 1) * c, s)) for i, c, s in zip(index, chunk_shape, shape))
        out[sel] = chunk[tuple(slice(0, s.stop - s.start) for s in sel)]
    want = np.array([np.nan if v == "NaN" else v for v in values], dtype="float64").reshape(shape)
    np.testing.assert_array_equal(out.astype("float64"), want)
    decoded[path] = int(out.size)
print(json.dumps({"entries": sorted(metadata), "decoded": decoded}))
