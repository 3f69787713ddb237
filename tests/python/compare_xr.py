"""Opens two copies of the dataset write_cf.py wrote with xarray (consolidated=True)
and checks they are identical: the root dataset and the nested groups, decoded
(CF: times, scale_factor, fill values) and raw.

usage: compare_xr.py ORIGINAL COPY
"""
import json
import sys

import numpy as np
import xarray as xr
import zarr

original, copy = sys.argv[1], sys.argv[2]
checked = []
for group in (None, "nested", "nested/deeper"):
    a = xr.open_zarr(original, group=group, consolidated=True)
    b = xr.open_zarr(copy, group=group, consolidated=True)
    xr.testing.assert_identical(a.load(), b.load())
    checked += [f"{group or ''}/{name}" for name in b.variables]
# Raw values and metadata too (xarray decodes some of it away).
za, zb = zarr.open_consolidated(original, mode="r"), zarr.open_consolidated(copy, mode="r")
arrays = []
za.visititems(lambda path, node: arrays.append(path) if isinstance(node, zarr.Array) else None)
for path in arrays:
    np.testing.assert_array_equal(za[path][...], zb[path][...])
    assert dict(za[path].attrs) == dict(zb[path].attrs), path
    assert za[path].dtype == zb[path].dtype and za[path].order == zb[path].order, path
ds = xr.open_zarr(copy, consolidated=True)
print(json.dumps({
    "identical": sorted(checked),
    "arrays": len(arrays),
    "time": str(ds.time.values[0])[:10],
    "pressure_fill_is_nan": bool(np.isnan(ds.pressure.values[3, 3])),
}))
