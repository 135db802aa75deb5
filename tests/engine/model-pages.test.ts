// Model lists are read to their last page. Shapes from the public API references: Anthropic "List Models"
// (`{ data: [{ type: 'model', id, display_name, created_at }], has_more, first_id, last_id }`, paged with `after_id`),
// Google models.list (`{ models: [...], nextPageToken }`, paged with `pageToken`).
import { createAnthropic } from '@kit/anthropic';
import { createGemini } from '@kit/gemini';
import { describe, expect, it } from 'vitest';

function pagedFetch(pages: (url: URL) => unknown) {
  const urls: URL[] = [];
  const fetch = async (input: RequestInfo | URL) => {
    const url = new URL(String(input));
    urls.push(url);
    return Response.json(pages(url));
  };
  return { urls, fetch: fetch as typeof globalThis.fetch };
}

const claude = (id: string) => ({ type: 'model', id, display_name: id, created_at: '2026-01-01T00:00:00Z' });

describe('getModels follows every page', () => {
  it('Anthropic: has_more / last_id → after_id, until has_more is false', async () => {
    const upstream = pagedFetch((url) =>
      url.searchParams.get('after_id') === null
        ? { data: [claude('claude-a'), claude('claude-b')], has_more: true, first_id: 'claude-a', last_id: 'claude-b' }
        : { data: [claude('claude-c')], has_more: false, first_id: 'claude-c', last_id: 'claude-c' },
    );
    const models = await createAnthropic({ apiKey: 'test-key-anthropic', fetch: upstream.fetch }).getModels();
    expect(models.map((model) => model.id)).toEqual(['claude-a', 'claude-b', 'claude-c']);
    expect(upstream.urls.map((url) => url.searchParams.get('after_id'))).toEqual([null, 'claude-b']);
  });

  it('Gemini: nextPageToken → pageToken, until no token comes', async () => {
    const model = (name: string) => ({ name: `models/${name}`, supportedGenerationMethods: ['generateContent'] });
    const upstream = pagedFetch((url) =>
      url.searchParams.get('pageToken') === null ? { models: [model('gemini-x')], nextPageToken: 'page-2' } : { models: [model('gemini-y')] },
    );
    const models = await createGemini({ apiKey: 'test-key-gemini', fetch: upstream.fetch }).getModels();
    expect(models.map((entry) => entry.id)).toEqual(['gemini-x', 'gemini-y']);
    expect(upstream.urls.map((url) => [url.searchParams.get('pageSize'), url.searchParams.get('pageToken')])).toEqual([
      ['1000', null],
      ['1000', 'page-2'],
    ]);
  });

  it('20 concurrent getModels() calls each read the whole list', async () => {
    const upstream = pagedFetch((url) =>
      url.searchParams.get('after_id') === null
        ? { data: [claude('claude-a')], has_more: true, first_id: 'claude-a', last_id: 'claude-a' }
        : { data: [claude('claude-b')], has_more: false, first_id: 'claude-b', last_id: 'claude-b' },
    );
    const anthropic = createAnthropic({ apiKey: 'test-key-anthropic', fetch: upstream.fetch });
    const lists = await Promise.all(Array.from({ length: 20 }, () => anthropic.getModels({ refresh: true })));
    for (const list of lists) expect(list.map((model) => model.id)).toEqual(['claude-a', 'claude-b']);
  });

  it('a server that always answers "more" is read for 20 pages at most', async () => {
    let page = 0;
    const upstream = pagedFetch(() => {
      page += 1;
      return { data: [claude(`claude-${page}`)], has_more: true, last_id: `claude-${page}` };
    });
    const models = await createAnthropic({ apiKey: 'test-key-anthropic', fetch: upstream.fetch }).getModels();
    expect(upstream.urls).toHaveLength(20);
    expect(models).toHaveLength(20);
  });
});
