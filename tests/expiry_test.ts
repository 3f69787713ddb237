// Command line headers: expiry (--delete-after, --delete-at), -H/--header and -m/--meta. Expected times come
// from Date.parse or from arithmetic on the units, not from the code under test.
import assert from "node:assert/strict";
import { deleteAfterHeader, deleteAtHeader, header, metaHeader, parseDuration } from "../src/util/expiry.ts";
import { dropContainer, raw, uniqueName } from "./_swift.ts";

type ErrorClass = typeof TypeError | typeof RangeError;

/** Asserts that `fn` throws an `errorClass` whose message matches `message` and quotes `input`. */
function refuses(fn: () => unknown, errorClass: ErrorClass, message: RegExp, input: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof errorClass, `${input}: ${err}`);
    assert.match(err.message, message, input);
    assert.ok(err.message.includes(JSON.stringify(input)), err.message);
    return true;
  });
}

Deno.test("parseDuration reads whole seconds with s, m, h or d", () => {
  const rows: [string, number][] = [
    ["1", 1],
    ["90", 90],
    ["45s", 45],
    ["30m", 30 * 60],
    ["12h", 12 * 60 * 60],
    ["7d", 7 * 24 * 60 * 60],
    [" 5m ", 5 * 60],
    ["9999999999", 9_999_999_999],
    ["115740d", 115740 * 86400],
  ];
  assert.deepEqual(rows.map(([text]) => parseDuration(text)), rows.map(([, seconds]) => seconds));
  assert.deepEqual(deleteAfterHeader("30m"), ["X-Delete-After", String(30 * 60)]);
});

Deno.test("parseDuration refuses non-integers, other units, zero, negatives and more than Swift keeps", () => {
  for (const text of ["", "1.5h", "ten", "5y", "5 m", "+5", "1e3", "30M"]) {
    refuses(() => parseDuration(text), TypeError, /^Expected --delete-after as whole seconds/, text);
  }
  for (const text of ["-30m", "-1", "0", "0d"]) {
    refuses(
      () => deleteAfterHeader(text),
      RangeError,
      /^Expected --delete-after to be at least 1 second/,
      text,
    );
  }
  for (const text of ["10000000000", "115741d"]) {
    refuses(() => parseDuration(text), RangeError, /at most 9999999999 seconds \(Swift's limit\)/, text);
  }
  refuses(() => parseDuration("x", "--ttl"), TypeError, /^Expected --ttl /, "x");
});

const NOW = new Date("2026-01-01T00:00:00Z");
/** Whole seconds at an instant Date.parse reads, rounded up. */
const at = (iso: string) => String(Math.ceil(Date.parse(iso) / 1000));

Deno.test("deleteAtHeader reads Unix seconds and ISO 8601 with a time zone", () => {
  const rows: [string, string][] = [
    ["1896087600", "1896087600"],
    ["2030-01-31T12:00:00+01:00", at("2030-01-31T11:00:00Z")],
    ["2030-01-31T12:00:00+0100", at("2030-01-31T11:00:00Z")],
    ["2030-01-31T05:30:00-05:30", at("2030-01-31T11:00:00Z")],
    ["2030-01-31T11:00:00Z", at("2030-01-31T11:00:00Z")],
    ["2030-01-31t11:00z", at("2030-01-31T11:00:00Z")],
    ["2030-01-31 11:00:00Z", at("2030-01-31T11:00:00Z")],
    ["2030-01-31T11:00:00.250Z", at("2030-01-31T11:00:01Z")],
    ["2030-01-31T11:00:00,5Z", at("2030-01-31T11:00:01Z")],
    ["2030-01-31", at("2030-01-31T00:00:00Z")],
    ["2028-02-29", at("2028-02-29T00:00:00Z")],
    ["2026-01-01T00:00:01Z", at("2026-01-01T00:00:01Z")],
  ];
  for (const [text, seconds] of rows) {
    assert.deepEqual(deleteAtHeader(text, NOW), ["X-Delete-At", seconds], text);
  }
});

Deno.test("deleteAtHeader refuses other forms, impossible dates, past times and times past 2286", () => {
  for (const text of ["tomorrow", "1.5e9", "2030-1-31", "20300131T110000Z", "2030-01-31T11Z", ""]) {
    refuses(
      () => deleteAtHeader(text, NOW),
      TypeError,
      /^Expected --delete-at as Unix seconds or ISO 8601/,
      text,
    );
  }
  refuses(
    () => deleteAtHeader("2030-01-31T12:00", NOW),
    TypeError,
    /a time needs Z or an offset/,
    "2030-01-31T12:00",
  );
  for (
    const text of [
      "2030-02-30",
      "2027-02-29",
      "2030-13-01",
      "2030-00-10",
      "2030-01-31T24:00:00Z",
      "2030-01-31T12:60Z",
    ]
  ) {
    refuses(
      () => deleteAtHeader(text, NOW),
      TypeError,
      /^Expected --delete-at to be a real date and time/,
      text,
    );
  }
  refuses(
    () => deleteAtHeader("2030-01-31T12:00+24:00", NOW),
    TypeError,
    /offset up to 23:59/,
    "2030-01-31T12:00+24:00",
  );
  const past: [string, string][] = [
    ["2025-12-31T23:59:59Z", "2025-12-31T23:59:59.000Z"],
    ["2026-01-01", "2026-01-01T00:00:00.000Z"], // now is not in the future
    [String(NOW.getTime() / 1000), "2026-01-01T00:00:00.000Z"],
    ["20300131", "1970-08-23T22:55:31.000Z"], // a date without dashes is Unix seconds
    ["-5", "-5"],
  ];
  for (const [text, when] of past) {
    refuses(
      () => deleteAtHeader(text, NOW),
      RangeError,
      new RegExp(`in the future, found .* \\(${when}\\)$`),
      text,
    );
  }
  refuses(
    () => deleteAtHeader("10000000000", NOW),
    RangeError,
    /at most 9999999999 \(Swift's limit/,
    "10000000000",
  );
  // Without `now`, the current time.
  assert.throws(() => deleteAtHeader(String(Math.floor(Date.now() / 1000))), RangeError);
});

/** The text of a byte string of UTF-8. */
const decode = (bytes: string) => new TextDecoder().decode(Uint8Array.from(bytes, (c) => c.charCodeAt(0)));

Deno.test("header and metaHeader read name and value, trimmed", () => {
  assert.deepEqual(header("Content-Type: application/json"), ["Content-Type", "application/json"]);
  assert.deepEqual(header("X-Foo:bar"), ["X-Foo", "bar"]);
  assert.deepEqual(header("  X-Foo :  a: b  "), ["X-Foo", "a: b"]);
  assert.deepEqual(header("X-Foo:"), ["X-Foo", ""]);
  assert.deepEqual(header("X-Tab: a\tb"), ["X-Tab", "a\tb"]);
  assert.deepEqual(metaHeader("project:ocean"), ["X-Object-Meta-project", "ocean"]);
  assert.deepEqual(metaHeader("Run-Id : 7: final "), ["X-Object-Meta-Run-Id", "7: final"]);
  assert.deepEqual(metaHeader("gone:"), ["X-Object-Meta-gone", ""]);
  const [name, value] = metaHeader("Site: Zürich ☃");
  assert.equal(name, "X-Object-Meta-Site");
  assert.equal(value.length, new TextEncoder().encode("Zürich ☃").length);
  assert.equal(decode(value), "Zürich ☃");
  assert.doesNotThrow(() => new Headers([header("X-Name: Grüße"), metaHeader("a:☃")]));
});

Deno.test("header and metaHeader refuse a missing ':', bad names and CR, LF or NUL in values", () => {
  const rows: [fn: (text: string) => unknown, text: string, message: RegExp][] = [
    [header, "NoColon", /^Expected --header as "Name: value"/],
    [header, ": v", /^Expected --header with a name before ':'/],
    [header, "Bad Name: v", /^Expected --header with a name of letters, digits/],
    [header, "Ünï: v", /with a name of letters, digits/],
    [header, "X(1): v", /with a name of letters, digits/],
    [header, "X_Foo: v", /^Expected --header without '_' in the name \(Swift receives it as '-'\)/],
    [header, "X-Foo: a\r\nX-Evil: 1", /^Expected --header with a value without CR, LF or NUL/],
    [header, "X-Foo: a\nb", /without CR, LF or NUL/],
    [header, "X-Foo: a\0b", /without CR, LF or NUL/],
    [metaHeader, "novalue", /^Expected --meta as "key:value"/],
    [metaHeader, ":v", /^Expected --meta with a name before ':'/],
    [metaHeader, "a_b:v", /^Expected --meta without '_'/],
    [metaHeader, "a b:v", /^Expected --meta with a name of letters/],
    [metaHeader, "k:v\rX", /^Expected --meta with a value without CR, LF or NUL/],
  ];
  for (const [fn, text, message] of rows) refuses(() => fn(text), TypeError, message, text);
});

Deno.test("Swift accepts the headers and keeps what they say", async () => {
  const container = uniqueName("expiry");
  try {
    const put = await raw("PUT", `/${container}`);
    assert.equal(put.status, 201, await put.text());
    const deleteAt = deleteAtHeader(String(Math.floor(Date.now() / 1000) + 3600));
    const headers = [
      deleteAt,
      metaHeader("Site: Zürich ☃"),
      header("X-Object-Meta-Run: 7"),
      header("Content-Type: text/x-test"),
    ];
    const first = await raw("PUT", `/${container}/a`, { headers: Object.fromEntries(headers), body: "a" });
    assert.equal(first.status, 201, await first.text());
    const head = await raw("HEAD", `/${container}/a`);
    await head.body?.cancel();
    assert.equal(head.headers.get("X-Delete-At"), deleteAt[1]);
    assert.equal(decode(head.headers.get("X-Object-Meta-Site")!), "Zürich ☃");
    assert.equal(head.headers.get("X-Object-Meta-Run"), "7");
    assert.equal(head.headers.get("Content-Type"), "text/x-test");

    const before = Math.floor(Date.now() / 1000);
    const second = await raw("PUT", `/${container}/b`, {
      headers: Object.fromEntries([deleteAfterHeader("1h")]),
      body: "b",
    });
    assert.equal(second.status, 201, await second.text());
    const after = Math.ceil(Date.now() / 1000);
    const headB = await raw("HEAD", `/${container}/b`);
    await headB.body?.cancel();
    const expires = Number(headB.headers.get("X-Delete-At"));
    assert.ok(
      expires >= before + 3600 && expires <= after + 3600,
      `${expires} not in [${before}, ${after}] + 3600`,
    );
  } finally {
    await dropContainer(container);
  }
});
