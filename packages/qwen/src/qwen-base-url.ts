import { KitError, type CredentialLease } from '@kit/core';
import { truncateMasked } from '@kit/core/provider-utils';

/** Where an OAuth account's requests go when its credential names no `resourceUrl`. */
export const QWEN_OAUTH_BASE_URL = 'https://portal.qwen.ai/v1';

/** DashScope's (Alibaba Cloud Model Studio's) OpenAI-compatible endpoint per region; API keys are regional. */
export const dashScopeBaseURLs = {
  /** Singapore, the international endpoint (the default). */
  singapore: 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1',
  /** US (Virginia). */
  virginia: 'https://dashscope-us.aliyuncs.com/compatible-mode/v1',
  /** China (Beijing). */
  beijing: 'https://dashscope.aliyuncs.com/compatible-mode/v1',
} as const;

/** A DashScope region: the key of `dashScopeBaseURLs`. */
export type DashScopeRegion = keyof typeof dashScopeBaseURLs;

/** The default DashScope endpoint (Singapore). */
export const DASHSCOPE_BASE_URL = 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1';

/**
 * The OpenAI-compatible base URL of a Qwen OAuth credential's `resourceUrl`, which the token endpoint returns
 * with or without a scheme and with or without `/v1`: `portal.qwen.ai` → `https://portal.qwen.ai/v1`,
 * `https://portal.qwen.ai/v1/` → `https://portal.qwen.ai/v1`. A scheme-less value gets `https://`. The token goes in
 * clear over `http://` only to a loopback address (`localhost`, `127.0.0.0/8`, `[::1]`: a local gateway or test server).
 * @throws KitError `invalid_config` naming `resourceUrl` for a value that is not a host or URL, another scheme than
 *   `https`, or `http://` to a host that is not loopback.
 */
export function qwenResourceBaseURL(resourceUrl: string): string {
  const trimmed = String(resourceUrl).trim();
  let base = (hasScheme.test(trimmed) ? trimmed : `https://${trimmed}`).replace(/\/+$/, '');
  if (!base.endsWith('/v1')) base += '/v1';
  const refuse = (why: string) => new KitError('invalid_config', `qwen: resourceUrl: "${truncateMasked(trimmed, 100)}" ${why}`, { provider: 'qwen' });
  // A value that is not a URL (spaces, no host) would send the token somewhere unintended: refuse it.
  const url = /^[a-z][a-z\d+.-]*:\/\/[^/?#\s]+(\/\S*)?$/i.test(base) ? parse(base) : undefined;
  if (!url) throw refuse('is not a host or URL');
  if (url.protocol === 'http:' ? !isLoopback(url.hostname) : url.protocol !== 'https:') {
    throw refuse('must be https:// (http:// only to a loopback address such as 127.0.0.1 or localhost)');
  }
  return base;
}

const hasScheme = /^[a-z][a-z\d+.-]*:\/\//i;

function parse(url: string): URL | undefined {
  try {
    const parsed = new URL(url);
    return parsed.hostname === '' ? undefined : parsed;
  } catch {
    return undefined;
  }
}

/** `localhost`, `127.0.0.0/8` or `[::1]` (a WHATWG URL hostname: IPv4 already in dotted decimal, IPv6 in brackets). */
const isLoopback = (hostname: string): boolean => hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);

/**
 * The base URL of one credential: an OAuth account uses its `resourceUrl` (the lease's `baseURL`), else
 * `oauthBaseURL`; an API key uses the lease's own `baseURL` as given, else the configured DashScope endpoint.
 */
export function qwenBaseURLFor(lease: CredentialLease, configuredBaseURL: string, oauthBaseURL: string = QWEN_OAUTH_BASE_URL): string {
  if (lease.kind === 'oauth') return lease.baseURL ? qwenResourceBaseURL(lease.baseURL) : oauthBaseURL;
  return lease.baseURL ?? configuredBaseURL;
}
