/** zarrita round trips through SwiftStore against the real Swift. */
import assert from "node:assert/strict";
import * as zarr from "zarrita";
import { SwiftStore } from "../mod.ts";
import { tempAuth, withStore } from "./_swift.ts";

type DType = "int8" | "uint16" | "int32" | "float32" | "float64" | "int64" | "uint8" | "bool";

function fill(dtype: DType, n: number) {
  switch (dtype) {
    case "int8":
      return Int8Array.from({ length: n }, (_, i) => (i % 256) - 128);
    case "uint8":
      return Uint8Array.from({ length: n }, (_, i) => (i * 7) % 256);
    case "uint16":
      return Uint16Array.from({ length: n }, (_, i) => (i * 37) % 65536);
    case "int32":
      return Int32Array.from({ length: n }, (_, i) => i * 1000 - 50_000);
    case "float32":
      return Float32Array.from({ length: n }, (_, i) => i / 3);
    case "float64":
      return Float64Array.from({ length: n }, (_, i) => Math.sin(i) * 1e10);
    case "int64":
      return BigInt64Array.from({ length: n }, (_, i) => BigInt(i) * 10_000_000_000n);
    case "bool":
      return new zarr.BoolArray(Uint8Array.from({ length: n }, (_, i) => i % 3 === 0 ? 1 : 0).buffer);
  }
}

Deno.test("zarrita: a group with arrays of several dtypes round-trips, also from a fresh store", async () => {
  await withStore(async (store) => {
    const root = await zarr.create(store, { attributes: { title: "round trip", answer: 42 } });
    const shape = [13, 7]; // not a multiple of the chunk shape: edge chunks are partial
    const n = shape[0] * shape[1];
    const dtypes: DType[] = ["int8", "uint8", "uint16", "int32", "float32", "float64", "int64", "bool"];
    for (const dtype of dtypes) {
      const arr = await zarr.create(root.resolve(`arrays/${dtype}`), {
        shape,
        chunkShape: [5, 3],
        dtype,
        fillValue: dtype === "bool" ? false : 0,
        attributes: { dtype },
      });
      await zarr.set(arr, null, { data: fill(dtype, n), shape, stride: [shape[1], 1] } as never);
    }

    // A fresh store (new login, new connection pool) sees the same data.
    const again = await SwiftStore.open({
      container: store.container,
      prefix: store.prefix,
      auth: tempAuth(),
      readOnly: true,
    });
    const group = await zarr.open(again, { kind: "group" });
    assert.deepEqual(group.attrs, { title: "round trip", answer: 42 });
    for (const dtype of dtypes) {
      const arr = await zarr.open(zarr.root(again).resolve(`arrays/${dtype}`), { kind: "array" });
      assert.equal(arr.dtype, dtype);
      assert.deepEqual(arr.shape, shape);
      assert.deepEqual(arr.attrs, { dtype });
      const got = await zarr.get(arr);
      const want = fill(dtype, n);
      if (dtype === "bool") {
        assert.deepEqual([...(got.data as zarr.BoolArray)], [...(want as zarr.BoolArray)]);
      } else {
        assert.deepEqual(got.data, want, dtype);
      }
    }
    // 3 x 3 chunks for each of 8 arrays, plus metadata.
    const keys = [];
    for await (const key of again.list("/arrays/int8")) keys.push(key);
    assert.equal(keys.length, 1 + 3 * 3);
    assert.ok(keys.includes("/arrays/int8/c/2/2"));
  }, { prefix: "datasets/rt" });
});

Deno.test("zarrita: partial writes touch only their region and keep the fill value elsewhere", async () => {
  await withStore(async (store) => {
    const arr = await zarr.create(zarr.root(store).resolve("grid"), {
      shape: [10, 10],
      chunkShape: [4, 4],
      dtype: "float32",
      fillValue: -1,
    });
    // A region that straddles chunk borders.
    await zarr.set(arr, [zarr.slice(2, 7), zarr.slice(3, 9)], 5);
    await zarr.set(arr, [9, 9], 7);
    const reopened = await zarr.open(
      zarr.root(
        await SwiftStore.open({
          container: store.container,
          auth: tempAuth(),
          readOnly: true,
        }),
      ).resolve("grid"),
      { kind: "array" },
    );
    const { data } = await zarr.get(reopened);
    for (let i = 0; i < 10; i++) {
      for (let j = 0; j < 10; j++) {
        const want = i === 9 && j === 9 ? 7 : i >= 2 && i < 7 && j >= 3 && j < 9 ? 5 : -1;
        assert.equal((data as Float32Array)[i * 10 + j], want, `[${i}, ${j}]`);
      }
    }
    // Chunks nobody wrote do not exist: the fill value came from their absence (404).
    assert.equal(await store.has("/grid/c/2/0"), false);
    assert.equal(await store.has("/grid/c/2/1"), false);
    assert.equal(await store.has("/grid/c/0/0"), true);
    assert.equal(await store.has("/grid/c/2/2"), true);
    // A read of a sub-selection.
    const part = await zarr.get(reopened, [zarr.slice(1, 3), zarr.slice(2, 5)]);
    assert.deepEqual([...(part.data as Float32Array)], [-1, -1, -1, -1, 5, 5]);
  });
});

Deno.test("zarrita: opening a path with nothing there is a NotFoundError, not an empty array", async () => {
  await withStore(async (store) => {
    await assert.rejects(zarr.open(zarr.root(store).resolve("nope"), { kind: "array" }), (err: unknown) => {
      assert.ok(zarr.isZarritaError?.(err, "NotFoundError") ?? /not found/i.test(String(err)));
      return true;
    });
  });
});
