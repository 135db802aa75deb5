import { KitError } from '@kit/core';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { textResponse } from './__fixtures__/openai-streams';
import { createOpenAICompatible } from './openai-compatible-provider';

// OpenAI's "File inputs" guide (developers.openai.com/api/docs/guides/file-inputs): Chat Completions takes only PDF
// files as `file` parts; to use a text file, send its contents as a text part. The 400 below is the answer recorded in
// trpc-group/trpc-agent-go#1816 (a `text/markdown` file_data to /v1/chat/completions), with this request's part path and
// media type.
const server = setupServer(
  http.post('https://api.openai.com/v1/chat/completions', async ({ request }) => {
    const body = (await request.json()) as { messages: { content: unknown }[] };
    seen.push(body);
    for (const [index, message] of body.messages.entries()) {
      const parts = Array.isArray(message.content) ? (message.content as { type: string; file?: { file_data: string } }[]) : [];
      for (const [partIndex, part] of parts.entries()) {
        const mediaType = /^data:([^;,]+)/.exec(part.file?.file_data ?? '')?.[1];
        if (part.type === 'file' && mediaType !== 'application/pdf') {
          const param = `messages[${index}].content[${partIndex}].file.file_data`;
          return HttpResponse.json(
            {
              error: {
                message: `Invalid file data: '${param}'. Expected a base64-encoded data URL with an application/pdf MIME type (e.g. 'data:application/pdf;base64,SGVsbG8sIFdvcmxkIQ=='), but got unsupported MIME type '${mediaType}'.`,
                type: 'invalid_request_error',
                param,
                code: 'invalid_value',
              },
            },
            { status: 400 },
          );
        }
      }
    }
    return HttpResponse.json(textResponse);
  }),
);
const seen: { messages: { content: unknown }[] }[] = [];
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  seen.length = 0;
});
afterAll(() => server.close());

const openai = () =>
  createOpenAICompatible({ name: 'openai', baseURL: 'https://api.openai.com/v1', apiKey: 'test-key-1', defaultModel: 'gpt-6-luna', maxRetries: 0 });
/** UTF-8 text as base64, the way a caller reads a file. */
const base64Of = (text: string) => btoa(String.fromCharCode(...new TextEncoder().encode(text)));

describe('text/plain documents on the OpenAI dialect', () => {
  it('go out as their own text part, decoded as UTF-8 and headed by the title, and the API accepts them', async () => {
    const completion = await openai().complete({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Summarise the notes.' },
            {
              type: 'document',
              title: 'notes.txt',
              source: { type: 'base64', mediaType: 'text/plain; charset=utf-8', data: base64Of('Café at 9.\nBring the keys.') },
            },
            { type: 'document', source: { type: 'base64', mediaType: 'text/plain', data: base64Of('No title here.') } },
            { type: 'document', title: 'report.pdf', source: { type: 'base64', mediaType: 'application/pdf', data: 'JVBERi0=' } },
          ],
        },
      ],
    });
    expect(completion.text).toBeTruthy();
    expect(seen[0]?.messages[0]?.content).toEqual([
      { type: 'text', text: 'Summarise the notes.' },
      { type: 'text', text: 'Document: notes.txt\n\nCafé at 9.\nBring the keys.' },
      { type: 'text', text: 'No title here.' },
      { type: 'file', file: { filename: 'report.pdf', file_data: 'data:application/pdf;base64,JVBERi0=' } },
    ]);
  });

  it('refuses a text document given as a URL or as data that is not base64, naming the part, before sending', async () => {
    for (const [source, field] of [
      [{ type: 'url', url: 'https://example.com/notes.txt', mediaType: 'text/plain' }, 'messages[0].content[1].source'],
      [{ type: 'base64', mediaType: 'text/plain', data: 'not base64!' }, 'messages[0].content[1].source.data'],
    ] as const) {
      const failure = await openai()
        .complete({
          messages: [
            {
              role: 'user',
              content: [
                { type: 'text', text: 'Read this.' },
                { type: 'document', source },
              ],
            },
          ],
        })
        .catch((error: unknown) => error);
      expect(KitError.is(failure) && failure.code).toBe('invalid_request');
      expect((failure as Error).message).toContain(`openai: ${field}: `);
    }
    expect(seen).toHaveLength(0);
  });
});
