import type { CredentialLease } from './credential-source';
import { chatRequestHeaders, type HeaderSource, mergeHeadersInto } from './merge-headers';

/** One credential's headers: its lease, its authentication headers, and the whole set per kind of request. */
interface CredentialHeaders {
  lease: CredentialLease;
  auth: Record<string, string> | undefined;
  /** By kind (`kindOf`): every header of a request that adds none of its own. */
  whole: (Record<string, string> | undefined)[];
}

/** What `RequestHeaders` reads: the provider's headers, the user's `headers` setting, the credential's headers. */
export interface RequestHeadersConfig {
  provider: HeaderSource;
  settings: HeaderSource;
  authHeaders(lease: CredentialLease): Record<string, string>;
  /**
   * Whether each request gets its own copy of the headers: a user's `fetch` may change the `init` it is given,
   * which must not reach the next request. The global `fetch` copies them into its `Request`.
   */
  copyPerRequest: boolean;
}

/** Stream or not, with a body or not. */
const kindOf = (stream: boolean, hasBody: boolean) => (stream ? 2 : 0) + (hasBody ? 1 : 0);

/**
 * The headers of an engine's requests (precedence in `chatRequestHeaders`), merged once rather than name by name
 * on every call. What they are made of does not change between requests — the provider's headers, the user's setting
 * (read once, when the provider is made), the credential's authentication headers while its lease stays the same —
 * so a request that adds no headers of its own reuses the set made for its credential and kind of request; one that
 * does (the call's `headers`, a wire request's) is merged in full. Rebuilding them per call cost ~4 % of a loopback
 * call: a new `Bearer …` string each time, checked again by undici, and a megamorphic copy, key by key.
 *
 * `authHeaders` is called once per credential and lease (secret, kind, base URL, project): a refreshed token gets
 * new headers, and each credential id holds one entry, so a pool's entries are as many as its credentials.
 */
export class RequestHeaders {
  readonly #config: RequestHeadersConfig;
  readonly #credentials = new Map<string, CredentialHeaders>();
  /** The headers without authentication, by kind. */
  readonly #unauthenticated: (Record<string, string> | undefined)[] = [];

  constructor(config: RequestHeadersConfig) {
    this.#config = config;
  }

  /** The headers of one request for `lease` (whose empty secret means: no authentication headers). */
  for(lease: CredentialLease, stream: boolean, hasBody: boolean, request?: HeaderSource, call?: HeaderSource): Record<string, string> {
    const credential = this.#credential(lease);
    const { provider, settings } = this.#config;
    if (request || call) return chatRequestHeaders({ stream, hasBody, provider, request, settings, call, auth: credential.auth });
    const kind = kindOf(stream, hasBody);
    let whole = credential.whole[kind];
    if (!whole) {
      whole = mergeHeadersInto({ ...this.#unauthenticatedFor(stream, hasBody) }, [credential.auth]);
      credential.whole[kind] = whole;
    }
    return this.#config.copyPerRequest ? { ...whole } : whole;
  }

  #credential(lease: CredentialLease): CredentialHeaders {
    const cached = this.#credentials.get(lease.id);
    if (cached && sameLease(cached.lease, lease)) return cached;
    const fresh: CredentialHeaders = { lease: { ...lease }, auth: lease.secret ? this.#config.authHeaders(lease) : undefined, whole: [] };
    this.#credentials.set(lease.id, fresh);
    return fresh;
  }

  #unauthenticatedFor(stream: boolean, hasBody: boolean): Record<string, string> {
    const kind = kindOf(stream, hasBody);
    let headers = this.#unauthenticated[kind];
    if (!headers) {
      headers = chatRequestHeaders({ stream, hasBody, provider: this.#config.provider, settings: this.#config.settings });
      this.#unauthenticated[kind] = headers;
    }
    return headers;
  }
}

/** Whether two leases of one credential authenticate the same way. */
function sameLease(a: CredentialLease, b: CredentialLease): boolean {
  return a.secret === b.secret && a.kind === b.kind && a.baseURL === b.baseURL && a.projectId === b.projectId;
}
