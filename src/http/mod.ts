/**
 * The request path: {@link SwiftClient} (concurrency bound, credentials, timeout,
 * retries, one re-authentication after a 401, MD5 bodies, the read-only guard),
 * one exchange with its timeouts (`exchange.ts`), the retry policy (`retry.ts`),
 * the {@link Limiter}, the readers that turn answers into values or typed errors
 * (`response.ts`), and the one shape of connection settings ({@link ConnectionOptions}).
 *
 * Imports: `util/`, and the provider *interface* of `auth/provider.ts` (types only):
 * nothing else of `auth/`, nothing of `swift/` or `store/`.
 *
 * @module
 */

export { Limiter } from "./limiter.ts";
export type { ConnectionOptions } from "./options.ts";
export {
  DEFAULT_RETRY_POLICY,
  isRetriable,
  parseRetryAfter,
  type RetryEvent,
  type RetryPolicy,
} from "./retry.ts";
