import type { WireRequest } from '@kit/core/provider-utils';

/**
 * The next page of `GET /models`: Anthropic's list answers `{ data, has_more, first_id, last_id }` and takes
 * `after_id=<last_id>` for the page after (Models API reference, "List Models").
 */
export function nextAnthropicModelsPage(body: unknown, request: WireRequest): WireRequest | undefined {
  const { has_more: hasMore, last_id: lastId } = Object(body) as Record<string, unknown>;
  if (hasMore !== true || typeof lastId !== 'string' || lastId === '') return undefined;
  const path = request.path.replace(/[?&]after_id=[^&]*/, '');
  return { ...request, path: `${path}${path.includes('?') ? '&' : '?'}after_id=${encodeURIComponent(lastId)}` };
}
