/**
 * A refused pre-authenticated token, as the scripts report it: the message says where
 * the token came from (a stale `OS_AUTH_TOKEN` wins over valid `ST_*` credentials, as
 * in the swift CLI) and how to get past it, and never shows the token.
 */
import assert from "node:assert/strict";
import { CREDS, script } from "./_scripts.ts";
import { login } from "./_swift.ts";

const STALE = "AUTH_tk0000stale0000token0000";

Deno.test("a refused token names its source and the way out, without the token", async () => {
  const { storageUrl } = await login();
  const stale = { OS_STORAGE_URL: storageUrl, OS_AUTH_TOKEN: STALE };
  const options = { secrets: [STALE] };

  const withLogin = await script("ls", [], { ...options, env: { ...CREDS, ...stale } });
  assert.equal(withLogin.code, 1, withLogin.stderr);
  assert.match(withLogin.stderr, /401 Unauthorized/);
  assert.match(withLogin.stderr, /the token is OS_AUTH_TOKEN's: eval "\$\(token\.ts\)" sets a new one/);
  assert.match(
    withLogin.stderr,
    /unset OS_STORAGE_URL and OS_AUTH_TOKEN to log in with ST_AUTH, ST_USER and ST_KEY/,
  );
  assert.doesNotMatch(withLogin.stderr, /expired or invalid.*expired or is invalid/, "said once");

  const tokenOnly = await script("ls", [], { ...options, env: stale });
  assert.equal(tokenOnly.code, 1);
  assert.match(tokenOnly.stderr, /OS_AUTH_TOKEN's/);
  assert.doesNotMatch(tokenOnly.stderr, /ST_AUTH/, "no ST_* to fall back on");

  const flag = await script("ls", ["--os-storage-url", storageUrl, "--os-auth-token", STALE], options);
  assert.equal(flag.code, 1);
  assert.match(flag.stderr, /the token of --os-auth-token; token\.ts gets a new one/);

  // As in the swift CLI, the flag's token goes with the environment's storage URL (and the other way round).
  const { token } = await login();
  const mixed = await script("ls", ["--os-auth-token", token], {
    env: { OS_STORAGE_URL: storageUrl },
    secrets: [token],
  });
  assert.equal(mixed.code, 0, mixed.stderr);
  // token.ts logs in: a token given to it is bad usage, not silently ignored.
  const given = await script("token", ["--os-auth-token", STALE], options);
  assert.equal(given.code, 2);
  assert.match(given.stderr, /found --os-auth-token or --os-storage-url: token\.ts gets a new token/);

  // Credentials that log in are not given a token's advice when the login itself fails.
  const wrongKey = await script("ls", [], { env: { ...CREDS, ST_KEY: "wrong" } });
  assert.equal(wrongKey.code, 1);
  assert.doesNotMatch(wrongKey.stderr, /OS_AUTH_TOKEN/);
});
