/**
 * {@link FakeSwift}: a small in-memory Swift on a {@link HostileServer}, with a
 * `script` hook that overrides any answer, so that each test plays one hostile
 * behaviour on top of an otherwise working cluster.
 */

import {
  type Handler,
  HostileServer,
  md5,
  type Received,
  type Reply,
  testCertificate,
} from "./_hostile_server.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// ---------------------------------------------------------------- the fake Swift

interface StoredObject {
  body: Uint8Array;
  etag: string;
  contentType: string;
  modified: string;
}

interface Container {
  meta: Record<string, string>;
  objects: Map<string, StoredObject>;
}

/** The fake's account. */
export const ACCOUNT = "AUTH_test";

/**
 * A small in-memory Swift on a {@link HostileServer}: TempAuth at `/auth/v1.0`,
 * Keystone v3 at `/v3/auth/tokens`, `/info`, and the account `/v1/AUTH_test` with
 * containers, objects, ranges, listings (paged at `listingLimit`, `reverse=true` unless
 * `reverseListings` is off), metadata, ACLs
 * (`.r:*` makes reads anonymous) and bulk delete. `script` answers first: return a
 * reply to override the model, `undefined` to let it answer.
 */
export class FakeSwift {
  /** The server it runs on. */
  readonly server: HostileServer;
  /** Containers by name. */
  readonly containers = new Map<string, Container>();
  /** Account metadata (lowercase header names). */
  readonly accountMeta: Record<string, string> = {};
  /** Tokens it accepts. */
  readonly tokens = new Set<string>();
  /** A token accepted from the start (for PreAuth). */
  readonly token = `AUTH_tk${crypto.randomUUID().replaceAll("-", "")}`;
  /** TempAuth users and their keys. */
  users: Record<string, string> = { "test:tester": `key-${crypto.randomUUID()}` };
  /** Keystone's accepted password and application-credential secret. */
  keystone = { password: `pw-${crypto.randomUUID()}`, secret: `appsecret-${crypto.randomUUID()}` };
  /** What logins hand back as the storage URL (default: this server's account). */
  storageUrl: string;
  /** Most entries in one listing page. */
  listingLimit = 10000;
  /** Whether listings honour `reverse=true` (as Swift 2.30 does); `false` ignores it, as old servers do. */
  reverseListings = true;
  /** Answers before the model; `undefined` lets the model answer. */
  script: Handler | undefined;
  /** Logins answered (TempAuth and Keystone). */
  logins = 0;

  private constructor(tls?: { cert: string; key: string }) {
    this.server = HostileServer.start((req) => this.#handle(req), { tls });
    this.tokens.add(this.token);
    this.storageUrl = `${this.server.origin}/v1/${ACCOUNT}`;
  }

  /** Starts a fake Swift (over TLS with the test certificate when `tls`). */
  static async start(options: { tls?: boolean } = {}): Promise<FakeSwift> {
    return new FakeSwift(options.tls ? await testCertificate() : undefined);
  }

  /** Its origin. */
  get origin(): string {
    return this.server.origin;
  }
  /** The TempAuth endpoint. */
  get authUrl(): string {
    return `${this.origin}/auth/v1.0`;
  }
  /** The first TempAuth user's name and key. */
  get user(): { user: string; key: string } {
    const [user, key] = Object.entries(this.users)[0];
    return { user, key };
  }
  /** Every request received. */
  get requests(): Received[] {
    return this.server.requests;
  }
  /** Requests received since `from` (an index into `requests`), as `METHOD target` lines. */
  since(from: number): string[] {
    return this.requests.slice(from).map((r) => `${r.method} ${r.target}`);
  }

  /** Creates a container (with metadata) if needed and answers it. */
  container(name: string, meta: Record<string, string> = {}): Container {
    let c = this.containers.get(name);
    if (!c) this.containers.set(name, c = { meta: {}, objects: new Map() });
    Object.assign(c.meta, meta);
    return c;
  }

  /** Stores an object. */
  put(
    container: string,
    name: string,
    body: Uint8Array | string,
    contentType = "application/octet-stream",
  ): void {
    const bytes = typeof body === "string" ? encoder.encode(body) : body;
    this.container(container).objects.set(name, {
      body: bytes,
      etag: md5(bytes),
      contentType,
      modified: new Date().toISOString().replace("Z", "").padEnd(26, "0"),
    });
  }

  /** Stops it. */
  close(): void {
    this.server.close();
  }

  async #handle(req: Received): Promise<Reply | undefined> {
    const scripted = await this.script?.(req);
    if (scripted) return scripted;
    if (req.path === "/auth/v1.0") return this.#tempAuth(req);
    if (req.path === "/v3/auth/tokens" && req.method === "POST") return this.#keystone(req);
    if (req.path === "/info") return json(200, INFO);
    const prefix = `/v1/${ACCOUNT}`;
    if (req.path !== prefix && !req.path.startsWith(`${prefix}/`)) return { status: 404, body: "Not Found" };
    const rest = req.target.split("?")[0].slice(prefix.length + 1);
    const at = rest.indexOf("/");
    const container = decodeURIComponent(at < 0 ? rest : rest.slice(0, at));
    const object = at < 0 ? undefined : decodeURIComponent(rest.slice(at + 1));
    const authorized = this.tokens.has(req.headers.get("x-auth-token") ?? "");
    if (!authorized && !this.#anonymous(req, container, object)) {
      return {
        status: 401,
        body:
          "<html><h1>Unauthorized</h1><p>This server could not verify that you are authorized to access the document you requested.</p></html>",
      };
    }
    if (container === "") return this.#account(req);
    if (object === undefined || object === "") return this.#containerRequest(req, container);
    return this.#object(req, container, object);
  }

  #anonymous(req: Received, container: string, object: string | undefined): boolean {
    const acl = this.containers.get(container)?.meta["x-container-read"] ?? "";
    if (!/(^|,)\s*\.r:\*/.test(acl) || !(req.method === "GET" || req.method === "HEAD")) return false;
    return object !== undefined || /\.rlistings/.test(acl);
  }

  #tempAuth(req: Received): Reply {
    const user = req.headers.get("x-auth-user") ?? req.headers.get("x-storage-user") ?? "";
    const key = req.headers.get("x-auth-key") ?? req.headers.get("x-storage-pass");
    if (this.users[user] === undefined || this.users[user] !== key) {
      return { status: 401, body: "Unauthorized" };
    }
    this.logins++;
    const token = `AUTH_tk${crypto.randomUUID().replaceAll("-", "")}`;
    this.tokens.add(token);
    return {
      status: 200,
      headers: {
        "X-Storage-Url": this.storageUrl,
        "X-Auth-Token": token,
        "X-Storage-Token": token,
        "X-Auth-Token-Expires": "86400",
      },
    };
  }

  #keystone(req: Received): Reply {
    let identity: Record<string, Record<string, unknown>> = {};
    try {
      identity = JSON.parse(decoder.decode(req.body)).auth.identity;
    } catch {
      return json(400, { error: { code: 400, message: "Malformed request body" } });
    }
    const password = (identity.password?.user as { password?: string } | undefined)?.password;
    const secret = identity.application_credential?.secret;
    if (password !== this.keystone.password && secret !== this.keystone.secret) {
      return json(401, {
        error: { code: 401, message: "The request you have made requires authentication." },
      });
    }
    this.logins++;
    const token = `gAAAA${crypto.randomUUID().replaceAll("-", "")}`;
    this.tokens.add(token);
    const body = {
      token: {
        expires_at: new Date(Date.now() + 3600_000).toISOString(),
        project: { id: "p1", name: "project" },
        catalog: [{
          type: "object-store",
          endpoints: [{ interface: "public", region_id: "RegionOne", url: this.storageUrl }],
        }],
      },
    };
    return { ...json(201, body), headers: { "Content-Type": "application/json", "X-Subject-Token": token } };
  }

  #account(req: Received): Reply {
    if (req.method === "POST" && req.query.has("bulk-delete")) return this.#bulkDelete(req);
    if (req.method === "POST") {
      applyMeta(this.accountMeta, req.headers, "account");
      return { status: 204 };
    }
    const objects = [...this.containers.values()].flatMap((c) => [...c.objects.values()]);
    const headers = {
      ...this.accountMeta,
      "X-Account-Container-Count": String(this.containers.size),
      "X-Account-Object-Count": String(objects.length),
      "X-Account-Bytes-Used": String(objects.reduce((n, o) => n + o.body.length, 0)),
    };
    if (req.method === "HEAD") return { status: 204, headers };
    if (req.method !== "GET") return { status: 405 };
    const names = [...this.containers.keys()].sort();
    const entries = this.#page(names, req.query).map((name) => {
      const c = this.containers.get(name)!;
      const objs = [...c.objects.values()];
      return { name, count: objs.length, bytes: objs.reduce((n, o) => n + o.body.length, 0) };
    });
    return { ...json(200, entries), headers: { ...headers, "Content-Type": "application/json" } };
  }

  #bulkDelete(req: Received): Reply {
    let deleted = 0;
    let notFound = 0;
    for (const line of decoder.decode(req.body).split("\n")) {
      if (!line.trim()) continue;
      const [, container, ...name] = decodeURIComponent(line.trim()).split("/");
      if (this.containers.get(container)?.objects.delete(name.join("/"))) deleted++;
      else notFound++;
    }
    return json(200, {
      "Number Deleted": deleted,
      "Number Not Found": notFound,
      "Response Status": "200 OK",
      "Response Body": "",
      Errors: [],
    });
  }

  /** Names after the marker, within the prefix, at most `listingLimit` (a page of plain names). */
  #page(names: string[], query: URLSearchParams): string[] {
    const marker = query.get("marker") ?? "";
    const prefix = query.get("prefix") ?? "";
    const limit = Math.min(Number(query.get("limit") ?? Infinity), this.listingLimit);
    return names.filter((n) => n > marker && n.startsWith(prefix)).slice(0, limit);
  }

  #containerRequest(req: Received, name: string): Reply {
    const c = this.containers.get(name);
    if (req.method === "PUT") {
      this.container(name);
      applyMeta(this.container(name).meta, req.headers, "container");
      return { status: c ? 202 : 201 };
    }
    if (!c) return { status: 404, body: "<html><h1>Not Found</h1></html>" };
    const objects = [...c.objects.values()];
    const headers = {
      ...c.meta,
      "X-Container-Object-Count": String(objects.length),
      "X-Container-Bytes-Used": String(objects.reduce((n, o) => n + o.body.length, 0)),
    };
    switch (req.method) {
      case "HEAD":
        return { status: 204, headers };
      case "POST":
        applyMeta(c.meta, req.headers, "container");
        return { status: 204 };
      case "DELETE":
        if (c.objects.size) {
          return { status: 409, body: "There was a conflict when trying to complete your request." };
        }
        this.containers.delete(name);
        return { status: 204 };
      case "GET":
        return {
          ...json(200, this.#listing(c, req.query)),
          headers: { ...headers, "Content-Type": "application/json" },
        };
    }
    return { status: 405 };
  }

  #listing(c: Container, query: URLSearchParams): unknown[] {
    const marker = query.get("marker") ?? "";
    const prefix = query.get("prefix") ?? "";
    const delimiter = query.get("delimiter") ?? "";
    const limit = Math.min(Number(query.get("limit") ?? Infinity), this.listingLimit);
    const reverse = this.reverseListings && /^(true|1|yes|on|t|y)$/i.test(query.get("reverse") ?? "");
    // Forward: names after the marker; in reverse: names before it, descending.
    const past = (key: string) => reverse ? marker === "" || key < marker : key > marker;
    const names = [...c.objects.keys()].sort();
    if (reverse) names.reverse();
    const out: unknown[] = [];
    let lastSubdir = "";
    for (const name of names) {
      if (out.length >= limit) break;
      if (!past(name) || !name.startsWith(prefix)) continue;
      const cut = delimiter ? name.indexOf(delimiter, prefix.length) : -1;
      if (cut >= 0) {
        const subdir = name.slice(0, cut + delimiter.length);
        if (!past(subdir) || subdir === lastSubdir) continue;
        out.push({ subdir: lastSubdir = subdir });
        continue;
      }
      const o = c.objects.get(name)!;
      out.push({
        name,
        bytes: o.body.length,
        hash: o.etag,
        content_type: o.contentType,
        last_modified: o.modified,
      });
    }
    return out;
  }

  #object(req: Received, container: string, name: string): Reply {
    const c = this.containers.get(container);
    if (!c) return { status: 404, body: "<html><h1>Not Found</h1></html>" };
    const o = c.objects.get(name);
    switch (req.method) {
      case "PUT": {
        const sent = req.headers.get("etag");
        const etag = md5(req.body);
        if (sent && sent.replace(/"/g, "") !== etag) return { status: 422, body: "Unprocessable Entity" };
        this.put(container, name, req.body, req.headers.get("content-type") ?? "application/octet-stream");
        return { status: 201, headers: { ETag: etag } };
      }
      case "DELETE":
        return c.objects.delete(name) ? { status: 204 } : { status: 404, body: "Not Found" };
      case "POST":
        return o ? { status: 202 } : { status: 404, body: "Not Found" };
    }
    if (!o) return { status: 404, body: "<html><h1>Not Found</h1></html>" };
    const headers: Record<string, string> = {
      "Content-Type": o.contentType,
      ETag: o.etag,
      "Last-Modified": new Date().toUTCString(),
      "Accept-Ranges": "bytes",
    };
    const size = o.body.length;
    const range = parseRange(req.headers.get("range"), size);
    if (range === "unsatisfiable") {
      return { status: 416, headers: { "Content-Range": `bytes */${size}` }, body: "" };
    }
    if (range && req.method === "GET") {
      const [start, end] = range;
      return {
        status: 206,
        headers: { ...headers, "Content-Range": `bytes ${start}-${end}/${size}` },
        body: o.body.slice(start, end + 1),
      };
    }
    if (req.method === "HEAD") {
      return { status: 200, headers: { ...headers, "Content-Length": String(size) } };
    }
    return { status: 200, headers, body: o.body };
  }
}

const INFO = {
  swift: { version: "2.30.0", max_file_size: 5368709122, container_listing_limit: 10000 },
  bulk_delete: { max_deletes_per_request: 10000, max_failed_deletes: 1000 },
  slo: { max_manifest_segments: 1000, min_segment_size: 1 },
  tempurl: {
    methods: ["GET", "HEAD", "PUT", "POST", "DELETE"],
    allowed_digests: ["sha1", "sha256", "sha512"],
  },
};

function json(status: number, value: unknown): Reply {
  return {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8" },
    body: JSON.stringify(value),
  };
}

/** Sets `x-<scope>-meta-*` (and container ACLs) from request headers; `x-remove-*` and empty values remove. */
function applyMeta(meta: Record<string, string>, headers: Headers, scope: "account" | "container"): void {
  headers.forEach((value, name) => {
    const acl = scope === "container" && (name === "x-container-read" || name === "x-container-write");
    if (name.startsWith(`x-${scope}-meta-`) || acl) {
      if (value === "") delete meta[name];
      else meta[name] = value;
    } else if (name.startsWith(`x-remove-${scope}-`)) {
      delete meta[`x-${scope}-${name.slice(`x-remove-${scope}-`.length)}`];
    }
  });
}

function parseRange(header: string | null, size: number): [number, number] | "unsatisfiable" | undefined {
  const m = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!m || (m[1] === "" && m[2] === "")) return undefined;
  if (m[1] === "") {
    const n = Number(m[2]);
    return n === 0 || size === 0 ? "unsatisfiable" : [Math.max(0, size - n), size - 1];
  }
  const start = Number(m[1]);
  if (start >= size) return "unsatisfiable";
  return [start, m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1)];
}
