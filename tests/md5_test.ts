import assert from "node:assert/strict";
import { md5Hex } from "../src/util/md5.ts";
import { randomBytes } from "./_swift.ts";

Deno.test("md5Hex: the RFC 1321 test suite", async () => {
  // RFC 1321, appendix A.5.
  const vectors: [string, string][] = [
    ["", "d41d8cd98f00b204e9800998ecf8427e"],
    ["a", "0cc175b9c0f1b6a831c399e269772661"],
    ["abc", "900150983cd24fb0d6963f7d28e17f72"],
    ["message digest", "f96b697d7cb7938d525a2f31aaf161d0"],
    ["abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"],
    ["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"],
    ["1234567890".repeat(8), "57edf4a22be3c955ac49da2e2107b67a"],
  ];
  for (const [input, want] of vectors) {
    assert.equal(await md5Hex(new TextEncoder().encode(input)), want, input);
  }
});

Deno.test("md5Hex agrees with coreutils md5sum on random data, and concurrent calls do not interleave", async () => {
  const blobs = [0, 1, 63, 64, 65, 1000, 1 << 20].map((n) => randomBytes(n));
  const ours = await Promise.all(blobs.map((b) => md5Hex(b)));
  for (const [i, blob] of blobs.entries()) {
    const child = new Deno.Command("md5sum", { stdin: "piped", stdout: "piped" }).spawn();
    const writer = child.stdin.getWriter();
    await writer.write(blob);
    await writer.close();
    const out = new TextDecoder().decode((await child.output()).stdout);
    assert.equal(ours[i], out.split(" ")[0], `${blob.length} bytes`);
  }
});
