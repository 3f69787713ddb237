/**
 * Requests outside an account's storage URL (logins, `/info`): one exchange with
 * retries by the policy, no credentials, no concurrency bound.
 *
 * @module
 */

import { exchange, type ExchangeTarget } from "./exchange.ts";
import { retrying, type RetryPolicy } from "./retry.ts";

/**
 * Sends `init` to `url` with the policy's timeout and retries, and hands the answer
 * to `read`. `target.secrets` (a key, a password) are kept out of every message;
 * a redirect is followed only as `target.follow` allows (logins: never).
 */
export function requestOnce<T>(
  connection: { fetch: typeof fetch; policy: RetryPolicy },
  url: string,
  init: RequestInit,
  target: Omit<ExchangeTarget, "timeout">,
  read: (res: Response) => Promise<T>,
): Promise<T> {
  const { fetch: doFetch, policy } = connection;
  return retrying(
    policy,
    target.signal,
    () => exchange(doFetch, url, init, { ...target, timeout: policy.timeout }, read),
  );
}
