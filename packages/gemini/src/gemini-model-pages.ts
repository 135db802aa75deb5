import type { WireRequest } from '@kit/core/provider-utils';

/** The next page of Google's `GET /models`: the answer's `nextPageToken`, sent back as `pageToken` (models.list reference). */
export function nextGeminiModelsPage(body: unknown, request: WireRequest): WireRequest | undefined {
  const token: unknown = Object(body).nextPageToken;
  if (typeof token !== 'string' || token === '') return undefined;
  const path = request.path.replace(/[?&]pageToken=[^&]*/, '');
  return { ...request, path: `${path}${path.includes('?') ? '&' : '?'}pageToken=${encodeURIComponent(token)}` };
}
