// Reads one object with `getStream` to the end, prints when it finished, and then
// does nothing more: the process must exit at once (a timer left armed by the
// streamed read kept Node, Bun and Deno alive for 60 s). Run by runtime_test.mjs.
const lib = await import(globalThis.Deno ? "../../mod.ts" : "@zarrswift/store");
const env = globalThis.process.env;
const store = await lib.SwiftStore.open({
  container: env.ZARRSWIFT_STREAM_CONTAINER,
  auth: new lib.TempAuth({ authUrl: env.ZARRSWIFT_STREAM_AUTH, user: "test:tester", key: "testing" }),
  readOnly: true,
});
const opened = await store.getStream("/big.bin");
let bytes = 0;
for await (const chunk of opened.body) bytes += chunk.length;
console.log(JSON.stringify({ bytes, finished: Date.now() }));
