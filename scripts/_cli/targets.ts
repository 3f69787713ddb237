/**
 * Where downloads write: the directories below a target, checked once each (never
 * through a link), and files written through `<name>.part`, renamed once complete (never
 * half-written under their final name).
 *
 * A file costs as few file operations as it can, because for small objects they cost
 * more CPU than the bytes: each directory is read once (one `readDir`, not one `lstat`
 * per file, and none for a directory this run created), and a body held in memory is
 * written by one `writeFile`.
 *
 * @module
 */

/** The suffix of a file being downloaded; renamed to its final name once complete. */
export const PART = ".part";

/** What is at a path, not following a link. */
type Kind = "file" | "dir" | "link";

/** What a directory held when first seen: each name's kind (`undefined`: not said). */
type Listing = Map<string, Kind | undefined>;

/**
 * The directories below a download's target: `prepare(path)` makes sure `path` can be
 * written without going through a link.
 *
 * @example
 * ```ts ignore
 * const targets = new TargetDirs("./out");
 * await targets.prepare("./out/a/b.txt"); // creates ./out/a; throws if a link is in the way
 * await writeThroughPart("./out/a/b.txt", new TextEncoder().encode("b"));
 * ```
 */
export class TargetDirs {
  #root: string;
  #dirs = new Map<string, Promise<Listing>>();

  /** Targets below `root` (which must exist). */
  constructor(root: string) {
    this.#root = root;
  }

  /**
   * Makes sure `path` (below the root) can be written without going through a link:
   * every directory between the root and it is created when missing, and none of them,
   * nor `path` itself, may be a symlink (the one rule: a download never follows a link
   * below its target directory). A file that appears after its directory was read is
   * still never written through: the `.part` is created new and renamed over it.
   */
  async prepare(path: string): Promise<void> {
    const parts = path.slice(this.#root.length + 1).split("/");
    let dir = this.#root;
    let listing = await this.#listing(dir, () => this.#read(this.#root));
    for (const part of parts.slice(0, -1)) {
      const parent = listing;
      const child = `${dir}/${part}`;
      listing = await this.#listing(child, () => this.#enter(child, parent.get(part), parent.has(part)));
      dir = child;
    }
    const name = parts[parts.length - 1];
    if (!listing.has(name)) return;
    const kind = listing.get(name) ?? await kindOf(path);
    if (kind === "link" || kind === "dir") refuse(path, kind, "a file");
  }

  /** The listing of `dir`, made once (concurrent callers share it). */
  #listing(dir: string, make: () => Promise<Listing>): Promise<Listing> {
    let listing = this.#dirs.get(dir);
    if (listing === undefined) {
      listing = make();
      this.#dirs.set(dir, listing);
    }
    return listing;
  }

  /** Checks (or creates) the directory `dir`, seen in its parent as `kind`; its listing. */
  async #enter(dir: string, kind: Kind | undefined, listed: boolean): Promise<Listing> {
    if (!listed) {
      const made = await Deno.mkdir(dir).then(() => true, (err) => {
        if (err instanceof Deno.errors.AlreadyExists) return false;
        throw err;
      });
      if (made) return new Map();
      kind = undefined;
    }
    kind ??= await kindOf(dir);
    if (kind !== "dir") refuse(dir, kind, "a directory");
    return await this.#read(dir);
  }

  /** What `dir` holds now. */
  async #read(dir: string): Promise<Listing> {
    const listing: Listing = new Map();
    for await (const e of Deno.readDir(dir)) {
      // Some filesystems do not say an entry's kind: those are looked at one by one.
      listing.set(e.name, e.isSymlink ? "link" : e.isDirectory ? "dir" : e.isFile ? "file" : undefined);
    }
    return listing;
  }
}

/** Throws: what is at `path` (of `kind`) is in the way of `needed`. */
function refuse(path: string, kind: Kind | undefined, needed: string): never {
  if (kind === "link") {
    throw new Error(`${path} is a symlink: not written through (the rule: no links below the target)`);
  }
  throw new Error(`${path} is ${kind === "dir" ? "a directory" : "a file"} where ${needed} is needed`);
}

/** The kind of what is at `path` (not following a link). */
async function kindOf(path: string): Promise<Kind | undefined> {
  const info = await Deno.lstat(path).catch((err) => {
    if (err instanceof Deno.errors.NotFound) return undefined;
    throw err;
  });
  if (info === undefined) return undefined;
  return info.isSymlink ? "link" : info.isDirectory ? "dir" : "file";
}

/**
 * Writes `path` through `path.part` (created new, never through a link), renamed to
 * `path` once complete: a killed download leaves only a `.part` file. `content` is
 * either the whole body (one write call: the file operations of a small file cost more
 * than its bytes) or a function that writes into the opened file.
 */
export async function writeThroughPart(
  path: string,
  content: Uint8Array | ((file: Deno.FsFile) => Promise<void>),
): Promise<void> {
  const temp = path + PART;
  try {
    await createPart(temp, content);
  } catch (err) {
    if (!(err instanceof Deno.errors.AlreadyExists)) throw err;
    // A stale .part (or a link someone put there) goes; the new one must not exist.
    await Deno.remove(temp);
    await createPart(temp, content);
  }
  await Deno.rename(temp, path);
}

/** Creates `temp` (which must not exist) with `content`; removes it when writing fails. */
async function createPart(
  temp: string,
  content: Uint8Array | ((file: Deno.FsFile) => Promise<void>),
): Promise<void> {
  if (content instanceof Uint8Array) {
    try {
      await Deno.writeFile(temp, content, { createNew: true });
    } catch (err) {
      if (!(err instanceof Deno.errors.AlreadyExists)) await Deno.remove(temp).catch(() => {});
      throw err;
    }
    return;
  }
  const file = await Deno.open(temp, { write: true, createNew: true });
  try {
    await content(file);
  } catch (err) {
    closeQuietly(file);
    await Deno.remove(temp).catch(() => {});
    throw err;
  }
  closeQuietly(file);
}

/** Closes `file` unless its writable stream closed it already. */
function closeQuietly(file: Deno.FsFile): void {
  try {
    file.close();
  } catch {
    // closed by its writable stream already
  }
}
