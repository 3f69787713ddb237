/**
 * Ranged reads, with the server's answer checked: a `206` must carry the range
 * asked for (its `Content-Range`, and that many bytes), a `200` (the server ignored
 * the range) is read only as far as the range needs, and a suffix of 0 bytes needs
 * only to know the object exists. Never wrong bytes: the right ones, or a typed
 * error.
 *
 * @module
 */

import { bytesOf, headersOf, okOr404 } from "../http/response.ts";
import { ProtocolError, RangeNotSatisfiableError } from "../util/errors.ts";
import { checkRange, rangeHeader, type RangeQuery } from "../util/range.ts";
import { type ContainerRef, objectRequest } from "./connection.ts";

/** The most bytes read from a `200` answer to a suffix range (the whole object is needed to find its end). */
const MAX_WHOLE_FOR_SUFFIX = 16 << 20;

type Req = { method: string; target: string; what: string };

/** The first `n` bytes of a body (fewer when it is shorter); the rest is never read. */
async function readPrefix(body: ReadableStream<Uint8Array> | null, n: number): Promise<Uint8Array> {
  const out = new Uint8Array(n);
  let got = 0;
  if (body) {
    const reader = body.getReader();
    try {
      while (got < n) {
        const { done, value } = await reader.read();
        if (done) break;
        const take = Math.min(value.length, n - got);
        out.set(value.subarray(0, take), got);
        got += take;
      }
    } finally {
      reader.cancel().catch(() => {});
    }
  }
  return out.subarray(0, got);
}

/** `[start, end, total]` of a `Content-Range: bytes start-end/total` header (total may be `*`). */
function contentRange(value: string | null): [number, number, number | undefined] | undefined {
  const match = /^\s*bytes\s+(\d+)-(\d+)\/(\d+|\*)\s*$/i.exec(value ?? "");
  if (!match) return undefined;
  return [Number(match[1]), Number(match[2]), match[3] === "*" ? undefined : Number(match[3])];
}

/** The bytes `[start, end]` asked for, taken from a `206` answer, or a ProtocolError. */
async function fromPartial(res: Response, range: RangeQuery, req: Req): Promise<Uint8Array> {
  const declared = contentRange(res.headers.get("Content-Range"));
  const fail = (found: string) => {
    res.body?.cancel().catch(() => {});
    return new ProtocolError(
      `Expected ${req.target} to answer the range ${rangeHeader(range)}, found ${found}`,
      { status: 206, method: req.method, path: req.target },
    );
  };
  if (!declared) throw fail(`a 206 without a readable Content-Range (${res.headers.get("Content-Range")})`);
  const [first, last, total] = declared;
  let start: number;
  let end: number;
  if ("suffixLength" in range) {
    if (total === undefined) throw fail(`bytes ${first}-${last} of an unknown total`);
    start = Math.max(0, total - range.suffixLength);
    end = total - 1;
  } else {
    start = range.offset;
    end = Math.min(range.offset + Math.max(range.length, 1), total ?? Infinity) - 1;
  }
  if (first > start || last < end) {
    throw fail(`bytes ${first}-${last}${total === undefined ? "" : `/${total}`}`);
  }
  const size = last - first + 1;
  const bytes = await readPrefix(res.body, size + 1);
  if (bytes.length !== size) {
    throw fail(`${bytes.length === size + 1 ? "more" : bytes.length} bytes for ${size}`);
  }
  const part = bytes.subarray(start - first, end - first + 1);
  return "length" in range && range.length === 0 ? part.subarray(0, 0) : part;
}

/** The part asked for, from a `200` answer holding the whole object: read no further than needed. */
async function fromWhole(res: Response, range: RangeQuery, req: Req): Promise<Uint8Array> {
  const declared = Number(res.headers.get("Content-Length") ?? Number.NaN);
  if ("offset" in range) {
    if (Number.isFinite(declared) && range.offset > declared) {
      res.body?.cancel().catch(() => {});
      throw unsatisfiable(req, range.offset, declared);
    }
    const bytes = await readPrefix(res.body, range.offset + range.length);
    if (range.offset > bytes.length) throw unsatisfiable(req, range.offset, bytes.length);
    return bytes.subarray(range.offset);
  }
  if (!(declared <= MAX_WHOLE_FOR_SUFFIX)) {
    res.body?.cancel().catch(() => {});
    throw new ProtocolError(
      `Expected ${req.target} to answer the range ${rangeHeader(range)}, found the whole object (${
        Number.isFinite(declared) ? `${declared} bytes` : "of unknown size"
      }), too large to read for its last ${range.suffixLength} bytes`,
      { status: 200, method: req.method, path: req.target },
    );
  }
  const bytes = await readPrefix(res.body, declared);
  return bytes.subarray(Math.max(0, bytes.length - range.suffixLength));
}

function unsatisfiable(req: Req, offset: number, size: number | undefined): RangeNotSatisfiableError {
  return new RangeNotSatisfiableError(
    `Expected a range starting within ${req.target}${
      size === undefined ? "" : ` (${size} bytes)`
    }, found offset ${offset}`,
    { status: 416, method: "GET", path: req.target },
  );
}

/**
 * Part of an object: `length` bytes from `offset` (fewer at the end), or its last
 * `suffixLength` bytes (all of it when it is shorter); `undefined` when it does not
 * exist. A range starting exactly at the end is empty; one past the end is a
 * {@link RangeNotSatisfiableError}.
 */
export function getObjectRange(
  ref: ContainerRef,
  name: string,
  range: RangeQuery,
  signal?: AbortSignal,
): Promise<Uint8Array | undefined> {
  checkRange(range);
  if ("suffixLength" in range && range.suffixLength === 0) {
    // HTTP has no empty suffix (Swift answers 416 to bytes=-0): only existence matters.
    const head = objectRequest(ref, "HEAD", name, "Checking object", signal);
    return ref.conn.client.request(
      head,
      okOr404(async (res, ctx) => (await headersOf(res, ctx), new Uint8Array(0)), undefined),
    );
  }
  const req = objectRequest(ref, "GET", name, "Reading a range of object", signal);
  req.headers = { Range: rangeHeader(range) };
  return ref.conn.client.request(req, async (res, ctx) => {
    if (res.status === 206) return await fromPartial(res, range, req);
    if (res.status === 200) return await fromWhole(res, range, req);
    if (res.status === 416 && "offset" in range) {
      await res.body?.cancel();
      // A 416 says the object's size as `Content-Range: bytes */size`.
      const size = Number(/\/(\d+)\s*$/.exec(res.headers.get("Content-Range") ?? "")?.[1]);
      // A range starting exactly at the end is empty, not an error.
      if (range.offset === size) return new Uint8Array(0);
      throw unsatisfiable(req, range.offset, Number.isFinite(size) ? size : undefined);
    }
    return await okOr404(bytesOf, undefined)(res, ctx);
  });
}
