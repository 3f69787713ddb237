#!/usr/bin/env -S deno run -A
/**
 * Shows and changes a container's ACLs: make it public or private, grant or revoke
 * read (or `--write`) access. Other grants and their order are kept.
 *
 * ```sh
 * deno run -A jsr:@zarrswift/store/scripts/acl.ts show my-container
 * deno run -A jsr:@zarrswift/store/scripts/acl.ts grant my-container project:colleague
 * deno run -A jsr:@zarrswift/store/scripts/acl.ts public my-container
 * ```
 *
 * @module
 */

import { formatAclEntry, getAcl, parseAclEntry, setAcl, setPublic } from "../mod.ts";
import { AUTH_HELP, AUTH_OPTIONS, location, openStore, run, terminalSafe, UsageError } from "./_cli/mod.ts";

const HELP = `
Usage: acl.ts public|private|show <container>
       acl.ts grant|revoke <container> <who> [--write]

<who> is one entry: an account, account:user, Keystone project:user, or a referrer
rule (.r:host); an entry with spaces, commas or control characters is refused.

Options:
  --write         change the write ACL instead of the read ACL
  --no-listings   with public: allow reading objects but not listing them
  --json          show as JSON
  -h, --help      this help

${AUTH_HELP}

Exit status: 0 when done (or shown), 1 when a request failed, 2 on bad usage (or a bad ACL entry).`;

await run("acl.ts", {
  options: {
    ...AUTH_OPTIONS,
    write: { type: "boolean" },
    "no-listings": { type: "boolean" },
    json: { type: "boolean" },
  },
  help: HELP,
  positionals: { min: 2, max: 3 },
}, async ({ values, positionals }) => {
  const [command, container, who] = positionals;
  const commands = ["public", "private", "show", "grant", "revoke"];
  if (!commands.includes(command)) {
    throw new UsageError(`expected a command among ${commands.join(", ")}, found ${JSON.stringify(command)}`);
  }
  if ((command === "grant" || command === "revoke") !== (who !== undefined)) {
    throw new UsageError(`${command} takes ${who === undefined ? "<container> <who>" : "only <container>"}`);
  }
  const store = await openStore({ ...location(container), path: "" }, values, {
    readOnly: false,
  });
  const kind = values.write ? "write" : "read";
  if (command === "public" || command === "private") {
    await setPublic(store, command === "public", { listings: !values["no-listings"] });
  } else if (command === "grant" || command === "revoke") {
    let entry: string;
    // deno-lint-ignore no-control-regex
    if (/[\s,\x00-\x1f\x7f]/.test(who)) {
      throw new UsageError(
        `${
          JSON.stringify(who)
        } is not one ACL entry: an entry has no spaces, commas or control characters (grant one at a time)`,
      );
    }
    try {
      entry = formatAclEntry(parseAclEntry(who, kind));
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const acl = await getAcl(store);
    if (command === "revoke" && !acl[kind].includes(entry)) {
      // Nothing to change: said, so that a mistyped entry is not taken for a revocation.
      console.error(
        terminalSafe(`acl.ts: ${entry} is not in the ${kind} ACL of ${container}: nothing revoked`),
      );
    } else {
      const list = acl[kind].filter((e) => e !== entry);
      if (command === "grant") list.push(entry);
      await setAcl(store, { [kind]: list });
    }
  }
  const acl = await getAcl(store);
  if (values.json) console.log(JSON.stringify(acl));
  else {
    console.log(terminalSafe(` Read ACL: ${acl.read.join(",")}`));
    console.log(terminalSafe(`Write ACL: ${acl.write.join(",")}`));
  }
});
