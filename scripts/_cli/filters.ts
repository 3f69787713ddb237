/**
 * The filter flags (`--include`, `--exclude`, `--exclude-from`), with rclone's rules
 * (the library's `filterRules` and `PathFilter`): which files or objects a script
 * takes, by their path relative to the transfer's root. rclone's warnings (both
 * `--include` and `--exclude` given; an `--include` ending in `/`) go to stderr.
 *
 * @module
 */

import { filterRules, parseFilterFile, PathFilter } from "../../mod.ts";
import { list, type Options, UsageError, type Values } from "./args.ts";
import { terminalSafe } from "./format.ts";
import { scriptName } from "./run.ts";

/** The filter flags. */
export const FILTER_OPTIONS: Options = {
  include: { type: "string", multiple: true },
  exclude: { type: "string", multiple: true },
  "exclude-from": { type: "string", multiple: true },
};

/** The filter flags, for `--help` texts. */
export const FILTER_HELP = `Filters (rclone's rules, on paths relative to the root of the transfer):
  --include GLOB       take only what matches (repeatable)
  --exclude GLOB       leave out what matches (repeatable)
  --exclude-from FILE  --exclude for each line of FILE (# and ; start comments)
  '*' and '?' stop at '/', '**' does not; a pattern starting with '/' matches from the
  root only, else at any depth; one ending in '/' is a directory. Every --include
  applies first, then every --exclude; with an --include, nothing else is taken.`;

/** Whether any filter flag was given. */
export function hasFilters(values: Values): boolean {
  return ["include", "exclude", "exclude-from"].some((name) => list(values, name).length > 0);
}

/**
 * The path filter the flags describe (`undefined` without flags): a path relative to
 * the root, without a leading `/`, is taken when it answers `true`. Bad patterns and
 * unreadable files are usage errors (exit 2); rclone's warnings go to stderr.
 */
export async function pathFilter(values: Values): Promise<((path: string) => boolean) | undefined> {
  if (!hasFilters(values)) return undefined;
  const excludeFrom: string[] = [];
  for (const file of list(values, "exclude-from")) {
    let text: string;
    try {
      text = await Deno.readTextFile(file);
    } catch (err) {
      throw new UsageError(`--exclude-from ${file}: ${(err as Error).message}`);
    }
    excludeFrom.push(...parseFilterFile(text));
  }
  const { rules, warnings } = filterRules({
    include: list(values, "include"),
    exclude: list(values, "exclude"),
    excludeFrom,
  });
  for (const warning of warnings) {
    // The library's sentences continue the script's "name: warning: " line.
    console.error(terminalSafe(`${scriptName()}: warning: ${warning.replace(/^./, (c) => c.toLowerCase())}`));
  }
  let filter: PathFilter;
  try {
    filter = new PathFilter(rules);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  return (path) => filter.matches(path);
}
