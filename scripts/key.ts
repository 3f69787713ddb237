#!/usr/bin/env -S deno run -A
/**
 * Sets, rotates, removes or shows the TempURL keys of a container (or, with
 * `--account`, of the account): the keys `tempurl.ts` and `share.ts` sign links
 * with. Swift keeps two keys per container and per account, and accepts links
 * signed with either: `rotate` moves the current key to the second slot (links
 * signed with it keep working) and sets a new one. A key is never printed, except
 * the one `--generate` makes (its job: you need it to sign links offline).
 *
 * ```sh
 * deno run -A jsr:@zarrswift/store/scripts/key.ts set --generate my-container
 * deno run -A jsr:@zarrswift/store/scripts/key.ts rotate --generate my-container
 * deno run -A jsr:@zarrswift/store/scripts/key.ts show my-container
 * ```
 *
 * @module
 */

import { setTempUrlKey, type SwiftAccount, type SwiftStore } from "../mod.ts";
import {
  AUTH_HELP,
  AUTH_OPTIONS,
  hiddenPrompt,
  location,
  openAccount,
  openStore,
  run,
  str,
  terminalSafe,
  UsageError,
} from "./_cli/mod.ts";

const HELP = `
Usage: key.ts show [--account] [<container>]
       key.ts set [--second] [--generate | --temp-url-key KEY] [--account] [<container>]
       key.ts rotate [--generate | --temp-url-key KEY] [--account] [<container>]
       key.ts remove [--second] [--account] [<container>]

The TempURL keys of <container>, or with --account of the account (no container
then). Swift accepts links signed with either of the two keys of each.

  show     which keys are set (never their values)
  set      set the key (--second: the second key)
  rotate   move the current key to the second slot, then set a new key: links signed
           with the current key keep working, those signed with the old second key stop
  remove   remove the key (--second: the second key)

The new key: --temp-url-key KEY, or --generate (32 random bytes as hex, printed as
an export line for OS_TEMP_URL_KEY: eval "$(key.ts set --generate my-container)"),
or else typed at a hidden prompt.

Options:
  --account            the account's keys (for every container) instead of a container's
  --second             set or remove the second key
  --generate           make a random key and print it
  --temp-url-key KEY   the new key
  -h, --help           this help

${AUTH_HELP}

Exit status: 0 when done (or shown), 1 when a request failed, 2 on bad usage.`;

/** Where the keys live, and how to read and write their two slots. */
interface Slots {
  what: string;
  /** Whether the first and the second slot hold a key. */
  read(): Promise<{ first: string | undefined; second: string | undefined }>;
  /** Sets a slot (`""` removes it). */
  write(key: string, second: boolean): Promise<void>;
}

/** A header value as the server sent it, read as UTF-8 when it is (Swift stores keys as bytes). */
function utf8(value: string | null): string | undefined {
  if (value === null || value === "") return undefined;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(value, (c) => c.charCodeAt(0)));
  } catch {
    return value;
  }
}

function containerSlots(store: SwiftStore): Slots {
  return {
    what: `container ${store.container}`,
    async read() {
      const h = await store.swiftContainer.metadata();
      return {
        first: utf8(h.get("X-Container-Meta-Temp-URL-Key")),
        second: utf8(h.get("X-Container-Meta-Temp-URL-Key-2")),
      };
    },
    write: (key, second) => setTempUrlKey(store, key, { scope: "container", second }),
  };
}

function accountSlots(account: SwiftAccount): Slots {
  return {
    what: "the account",
    async read() {
      const h = await account.metadata();
      return {
        first: utf8(h.get("X-Account-Meta-Temp-URL-Key")),
        second: utf8(h.get("X-Account-Meta-Temp-URL-Key-2")),
      };
    },
    async write(key, second) {
      const name = `Account-Meta-Temp-URL-Key${second ? "-2" : ""}`;
      const bytes = Array.from(new TextEncoder().encode(key), (b) => String.fromCharCode(b)).join("");
      await account.updateMetadata(key === "" ? { [`X-Remove-${name}`]: "x" } : { [`X-${name}`]: bytes });
    },
  };
}

await run("key.ts", {
  options: {
    ...AUTH_OPTIONS,
    account: { type: "boolean" },
    second: { type: "boolean" },
    generate: { type: "boolean" },
    "temp-url-key": { type: "string" },
  },
  help: HELP,
  positionals: { min: 1, max: 2 },
}, async ({ values, positionals }) => {
  const [command, container] = positionals;
  const commands = ["show", "set", "rotate", "remove"];
  if (!commands.includes(command)) {
    throw new UsageError(`expected a command among ${commands.join(", ")}, found ${JSON.stringify(command)}`);
  }
  if (values.account ? container !== undefined : container === undefined) {
    throw new UsageError(values.account ? "--account takes no container" : "give <container> (or --account)");
  }
  const given = str(values, "temp-url-key");
  const makes = command === "set" || command === "rotate";
  if (!makes && (given !== undefined || values.generate)) {
    throw new UsageError(`${command} takes no new key`);
  }
  if (given !== undefined && values.generate) throw new UsageError("--generate or --temp-url-key, not both");
  if (command === "rotate" && values.second) {
    throw new UsageError("rotate sets the first key (the second is the old one)");
  }
  if (given !== undefined) checkKey(given);
  const slots = values.account
    ? accountSlots(await openAccount(values))
    : containerSlots(await openStore({ ...location(container), path: "" }, values, { readOnly: false }));
  const second = Boolean(values.second);
  if (command === "show") {
    const { first, second } = await slots.read();
    const state = (key: string | undefined) => (key === undefined ? "not set" : "set");
    console.log(`TempURL keys of ${slots.what}: first ${state(first)}, second ${state(second)}`);
    return;
  }
  if (command === "remove") {
    const held = await slots.read();
    const which = `the ${second ? "second " : ""}TempURL key of ${slots.what}`;
    if ((second ? held.second : held.first) === undefined) {
      // Nothing to change: said, so that a wrong slot or container is not taken for a revocation.
      console.error(terminalSafe(`key.ts: ${which} is not set: nothing removed`));
      return;
    }
    await slots.write("", second);
    console.error(terminalSafe(`removed ${which}: links signed with it stop working`));
    return;
  }
  let key = given;
  if (key === undefined && values.generate) {
    const bytes = crypto.getRandomValues(new Uint8Array(32));
    key = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }
  if (key === undefined) {
    key = await hiddenPrompt("New TempURL key: ");
    checkKey(key);
  }
  if (command === "rotate") {
    const { first } = await slots.read();
    if (first !== undefined) await slots.write(first, true);
    await slots.write(key, false);
    console.error(
      first === undefined
        ? `set the TempURL key of ${slots.what} (there was none to keep as the second key)`
        : `rotated the TempURL key of ${slots.what}: the old key is now the second key (links signed with it keep working until the next rotate)`,
    );
  } else {
    await slots.write(key, second);
    console.error(`set the ${second ? "second " : ""}TempURL key of ${slots.what}`);
  }
  if (values.generate) console.log(`export OS_TEMP_URL_KEY='${key}'`);
});

/** A key goes into a header: no CR, LF, NUL, and not empty. */
function checkKey(key: string): void {
  if (key === "") throw new UsageError("the new key is empty");
  // deno-lint-ignore no-control-regex
  if (/[\r\n\x00]/.test(key)) throw new UsageError("a TempURL key cannot hold CR, LF or NUL");
}
