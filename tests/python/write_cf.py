"""Writes a CF-style zarr v2 dataset the way Python users make them, and dumps every
array's stored values for the TypeScript side to compare with.

usage: write_cf.py OUT_DIR DUMP_JSON [--no-consolidate]

- xarray (Debian's 2023.01, zarr 2.13) writes the dataset: a datetime coordinate, a
  <U5 coordinate, float32 with NaN, int16 packed with scale_factor/add_offset and a
  -1 fill value, Zlib and Blosc compressors;
- zarr writes nested groups beside it: bool/int8/uint16/int64/float64 arrays, fill
  values NaN and -1, an F-order array, dimension_separator "/", chunks never written;
- the metadata is consolidated into .zmetadata (unless --no-consolidate).

The dump maps each array's path to {dtype, shape, order, values}: values row-major,
as stored (before any CF decoding), NaN/inf as strings, 64-bit integers as strings.
"""
import json
import math
import os
import sys

import numcodecs
import numpy as np
import pandas as pd
import xarray as xr
import zarr

out, dump_path = sys.argv[1], sys.argv[2]
consolidate = "--no-consolidate" not in sys.argv[3:]

times = pd.date_range("2000-01-01", periods=10, freq="D")
stations = np.array(["ham", "bergn", "lind", "hohen"], dtype="<U5")
rng = np.random.default_rng(42)
temperature = (rng.normal(10, 5, (10, 4))).astype("float32")
temperature[2, 1] = np.nan
temperature[7, :] = np.nan
pressure = rng.uniform(950, 1050, (10, 4))
pressure[3, 3] = np.nan  # becomes the -1 fill value once packed
ds = xr.Dataset(
    {
        "temperature": (("time", "station"), temperature, {"units": "degC", "long_name": "air temperature"}),
        "pressure": (("time", "station"), pressure, {"units": "hPa"}),
    },
    coords={"time": times, "station": stations},
    attrs={"title": "CF-style test dataset", "Conventions": "CF-1.8"},
)
encoding = {
    "temperature": {"compressor": numcodecs.Zlib(level=4), "chunks": (4, 4), "_FillValue": np.nan},
    "pressure": {
        "dtype": "int16",
        "scale_factor": 0.1,
        "add_offset": 1000.0,
        "_FillValue": -1,
        "compressor": numcodecs.Blosc(cname="lz4", clevel=5, shuffle=numcodecs.Blosc.SHUFFLE),
        "chunks": (5, 2),
    },
    "time": {"units": "days since 2000-01-01", "dtype": "int64"},
}
ds.to_zarr(out, mode="w", encoding=encoding, consolidated=False)

root = zarr.open_group(out, mode="a")
nested = root.create_group("nested")
deeper = nested.create_group("deeper")
n = 12
flags = nested.create_dataset("flags", shape=(n,), chunks=(5,), dtype="bool", fill_value=False)
flags[:] = np.arange(n) % 3 == 0
small = nested.create_dataset("small", shape=(n,), chunks=(5,), dtype="int8", fill_value=-1)
small[:7] = np.arange(7) - 3  # the last chunk is never written: -1
counts = deeper.create_dataset("counts", shape=(6, 5), chunks=(4, 4), dtype="uint16", fill_value=0, order="F")
counts[:] = np.arange(30, dtype="uint16").reshape(6, 5) * 1000
big = deeper.create_dataset("big", shape=(3, 4), chunks=(2, 2), dtype="int64", fill_value=-1, dimension_separator="/")
big[:2, :2] = np.array([[2**53 + 1, -(2**62)], [7, 2**63 - 1]])  # other chunks never written
field = deeper.create_dataset(
    "field", shape=(7, 6), chunks=(3, 3), dtype="float64", fill_value=np.nan,
    compressor=numcodecs.Blosc(cname="zstd", clevel=3, shuffle=numcodecs.Blosc.BITSHUFFLE),
)
field[:3, :] = np.linspace(-1.5, 2.5, 18).reshape(3, 6)  # rows 3..6 never written: NaN
dims = {"flags": ["i"], "small": ["i"], "counts": ["y", "x"], "big": ["y2", "x2"], "field": ["y3", "x3"]}
for arr in (flags, small, counts, big, field):
    arr.attrs["_ARRAY_DIMENSIONS"] = dims[arr.name.split("/")[-1]]
nested.attrs["description"] = "written with zarr directly"
if consolidate:
    zarr.consolidate_metadata(out)


def encode(v, dtype):
    if dtype.kind == "f":
        return "NaN" if math.isnan(v) else ("Infinity" if v > 0 else "-Infinity") if math.isinf(v) else float(v)
    if dtype.kind in "iu" and dtype.itemsize == 8:
        return str(int(v))
    if dtype.kind == "b":
        return bool(v)
    if dtype.kind in "iu":
        return int(v)
    return str(v)


dump = {}
stored = zarr.open_group(out, mode="r")


def visit(path, node):
    if isinstance(node, zarr.Array):
        data = node[...]
        dump[path] = {
            "dtype": node.dtype.str,
            "shape": list(node.shape),
            "order": node.order,
            "values": [encode(v, node.dtype) for v in np.asarray(data).reshape(-1, order="C").tolist()],
        }


stored.visititems(visit)
with open(dump_path, "w") as f:
    json.dump(dump, f)
print(json.dumps({"arrays": sorted(dump), "files": sum(len(fs) for _, _, fs in os.walk(out))}))
