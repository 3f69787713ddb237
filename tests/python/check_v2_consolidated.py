"""Checks a v2 hierarchy consolidated by consolidateMetadata (downloaded with
`swift download`) against the same hierarchy on disk before consolidation:
zarr.open_consolidated reads identical metadata and values, and the .zmetadata is
the one zarr.consolidate_metadata writes for it, byte for byte.

usage: check_v2_consolidated.py DOWNLOADED ORIGINAL
"""
import json
import os
import shutil
import sys
import tempfile

import numpy as np
import xarray as xr
import zarr

downloaded, original = sys.argv[1], sys.argv[2]
meta = json.load(open(os.path.join(downloaded, ".zmetadata")))
assert meta["zarr_consolidated_format"] == 1

# zarr 2.13's own consolidation of the original, for comparison.
with tempfile.TemporaryDirectory() as tmp:
    ref = os.path.join(tmp, "ref")
    shutil.copytree(original, ref)
    zarr.consolidate_metadata(ref)
    ours = open(os.path.join(downloaded, ".zmetadata"), "rb").read()
    theirs = open(os.path.join(ref, ".zmetadata"), "rb").read()
    same_json = json.loads(ours) == json.loads(theirs)
    same_bytes = ours == theirs

g = zarr.open_consolidated(downloaded, mode="r")
plain = zarr.open_group(original, mode="r")
checked = []


def visit(path, node):
    other = plain[path]
    assert dict(node.attrs) == dict(other.attrs), path
    if isinstance(node, zarr.Array):
        for field in ("shape", "chunks", "dtype", "order", "fill_value", "compressor", "filters"):
            a, b = getattr(node, field), getattr(other, field)
            assert a == b or (isinstance(a, float) and np.isnan(a) and np.isnan(b)), (path, field, a, b)
        np.testing.assert_array_equal(node[...], other[...])
    checked.append(path)


g.visititems(visit)
# What open_consolidated read came from .zmetadata: every metadata file is in it, as on disk.
files = {}
for d, _, names in os.walk(original):
    for name in names:
        if name in (".zarray", ".zgroup", ".zattrs"):
            rel = os.path.relpath(os.path.join(d, name), original).replace(os.sep, "/")
            files[rel] = json.load(open(os.path.join(d, name)))
assert files == meta["metadata"], sorted(set(files) ^ set(meta["metadata"]))
xr.testing.assert_identical(xr.open_zarr(downloaded, consolidated=True).load(), xr.open_zarr(original, consolidated=False).load())
print(json.dumps({"nodes": sorted(checked), "entries": len(meta["metadata"]), "same_json": same_json, "same_bytes": same_bytes}))
