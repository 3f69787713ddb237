/**
 * Keeping secrets out of messages: text quoted from a server or a URL goes through
 * {@link redact} before it reaches an error message.
 *
 * @module
 */

/**
 * `text` with TempURL signatures removed and every given secret (a token, key or
 * password this library holds) replaced by `[redacted]`.
 *
 * @param text Text quoted from a server, a URL or an error.
 * @param secrets The secrets to remove; those shorter than 4 characters are left alone.
 * @returns The text without them.
 */
export function redact(text: string, secrets: Iterable<string | undefined> = []): string {
  let out = text.replace(/(temp_url_sig=)[^&\s)"']*/gi, "$1[redacted]");
  for (const secret of secrets) {
    // Short strings would redact ordinary words: secrets are long.
    if (secret !== undefined && secret.length >= 4) out = out.replaceAll(secret, "[redacted]");
  }
  return out;
}
