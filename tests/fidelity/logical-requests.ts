import type { ContentPart, GenerateOptions, ToolDefinition } from '@kit/core';

// The fixed set of logical requests every provider's snapshot is made of: the same user intent, sent through each
// adapter, so that one provider's mapping can be read against another's and against its API reference.

/** A 1×1 transparent PNG. */
export const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAAC0lEQVR4nGNgAAIAAAUAAXpeqz8AAAAASUVORK5CYII=';
/** The first line of a PDF file (`%PDF-1.7`) and its binary-marker comment: enough to see how the bytes travel. */
export const PDF_BASE64 = 'JVBERi0xLjcKJeLjz9MK';
/** `Rule one.\nRule two.` as UTF-8, base64. */
export const TEXT_BASE64 = 'UnVsZSBvbmUuClJ1bGUgdHdvLg==';
/** The 44-byte header of an empty 16-bit mono 8 kHz WAV file. */
export const WAV_BASE64 = 'UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YQAAAAA=';
export const IMAGE_URL = 'https://example.com/fidelity/cat.png';

/** The one tool of the tool cases: a JSON Schema as the APIs take it. */
export const weatherTool = {
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
} satisfies ToolDefinition;

/** The schema of the structured-output case. */
export const weatherReportSchema = {
  type: 'object',
  properties: { city: { type: 'string' }, temperatureC: { type: 'number' } },
  required: ['city', 'temperatureC'],
  additionalProperties: false,
};

/** The assistant turn that called the tool, and the tool's answer: the second turn of a tool loop. */
const toolCall = { id: 'call_fidelity_1', name: 'get_weather', arguments: '{"city":"Paris"}' };
const toolResult = { role: 'tool', toolCallId: toolCall.id, content: '{"temperatureC":18}' } as const;

/** A user question about one attachment (an image, a document, a recording): a text part, then the attachment. */
const askAbout = (model: string, question: string, attachment: ContentPart): GenerateOptions => ({
  model,
  stream: false,
  messages: [{ role: 'user', content: [{ type: 'text', text: question }, attachment] }],
});

/** What a case may need from the provider under test: its `providerOptions` key decides where extras go. */
export interface CaseContext {
  /** The model every request names (pinned, so that a snapshot changes only when the mapping does). */
  model: string;
  /** `providerOptions` of the prompt-caching case (Anthropic breakpoints, a Gemini cached content, …); none if empty. */
  cachingOptions?: GenerateOptions['providerOptions'];
}

/** One logical request: a name (the snapshot key) and the options it sends. */
export interface LogicalRequest {
  name: string;
  /** What the case shows, for the reader of a snapshot. */
  about: string;
  options: (context: CaseContext) => GenerateOptions;
}

/** The fixed set, in snapshot order. */
export const logicalRequests: readonly LogicalRequest[] = [
  {
    name: 'plain-text',
    about: 'system + user text, with the sampling knobs and the output-token limit set',
    options: ({ model }) => ({
      model,
      stream: false,
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Say hi.' },
      ],
      maxTokens: 256,
      temperature: 0.2,
      topP: 0.9,
      stop: ['END'],
    }),
  },
  {
    name: 'plain-text-streamed',
    about: 'the same request as a stream (the default of generateChatCompletion)',
    options: ({ model }) => ({ model, stream: true, messages: [{ role: 'user', content: 'Say hi.' }], maxTokens: 256 }),
  },
  {
    name: 'system-text-parts',
    about: 'a system message of two text parts: sent as two parts (or joined by one rule), never glued into one word',
    options: ({ model }) => ({
      model,
      stream: false,
      messages: [
        {
          role: 'system',
          content: [
            { type: 'text', text: 'Rule one.' },
            { type: 'text', text: 'Rule two.' },
          ],
        },
        { role: 'user', content: 'Follow the rules.' },
      ],
    }),
  },
  {
    name: 'tools-with-tool-result',
    about: 'a tool definition, the assistant turn that called it, and the tool result: the second request of a tool loop',
    options: ({ model }) => ({
      model,
      stream: false,
      tools: [weatherTool],
      toolChoice: 'auto',
      messages: [{ role: 'user', content: 'What is the weather in Paris?' }, { role: 'assistant', content: '', toolCalls: [toolCall] }, toolResult],
    }),
  },
  {
    name: 'tool-choice-named',
    about: 'forcing one named tool',
    options: ({ model }) => ({
      model,
      stream: false,
      tools: [weatherTool],
      toolChoice: { name: 'get_weather' },
      messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
    }),
  },
  {
    name: 'image-base64',
    about: 'a user image given as base64 data',
    options: ({ model }) => askAbout(model, 'Describe the image.', { type: 'image', source: { type: 'base64', mediaType: 'image/png', data: PNG_BASE64 } }),
  },
  {
    name: 'image-url',
    about: 'a user image given as a URL',
    options: ({ model }) => askAbout(model, 'Describe the image.', { type: 'image', source: { type: 'url', url: IMAGE_URL, mediaType: 'image/png' } }),
  },
  {
    name: 'pdf-document',
    about: 'a PDF given as base64 data, with a title',
    options: ({ model }) =>
      askAbout(model, 'Summarise the document.', {
        type: 'document',
        title: 'report.pdf',
        source: { type: 'base64', mediaType: 'application/pdf', data: PDF_BASE64 },
      }),
  },
  {
    name: 'text-document',
    about: 'a text/plain document given as base64 data',
    options: ({ model }) =>
      askAbout(model, 'Summarise the document.', {
        type: 'document',
        title: 'rules.txt',
        source: { type: 'base64', mediaType: 'text/plain', data: TEXT_BASE64 },
      }),
  },
  {
    name: 'audio-input',
    about: 'a WAV recording given as base64 data (refused where the API takes no audio)',
    options: ({ model }) =>
      askAbout(model, 'Transcribe the recording.', { type: 'audio', source: { type: 'base64', mediaType: 'audio/wav', data: WAV_BASE64 } }),
  },
  {
    name: 'json-schema',
    about: 'structured output constrained by a JSON Schema, named and strict',
    options: ({ model }) => ({
      model,
      stream: false,
      responseFormat: { type: 'json-schema', name: 'weather_report', schema: weatherReportSchema, strict: true },
      messages: [{ role: 'user', content: 'Report the weather in Paris as JSON.' }],
    }),
  },
  {
    name: 'json-object',
    about: 'JSON output without a schema',
    options: ({ model }) => ({
      model,
      stream: false,
      responseFormat: { type: 'json' },
      messages: [{ role: 'user', content: 'Report the weather in Paris as a JSON object.' }],
    }),
  },
  {
    name: 'reasoning-replay',
    about: 'the second request of a tool loop whose first answer reasoned: the reasoning (with its signature) replayed',
    options: ({ model }) => ({
      model,
      stream: false,
      tools: [weatherTool],
      messages: [
        { role: 'user', content: 'What is the weather in Paris?' },
        {
          role: 'assistant',
          content: [{ type: 'reasoning', text: 'The user wants the weather: call get_weather for Paris.', signature: 'fidelity-signature-1' }],
          toolCalls: [toolCall],
        },
        toolResult,
      ],
    }),
  },
  {
    name: 'prompt-caching',
    about: "a long, stable system prompt marked for caching where the API takes a marker (the provider's own options)",
    options: ({ model, cachingOptions }) => ({
      model,
      stream: false,
      messages: [
        { role: 'system', content: 'You answer questions about the fidelity handbook. The handbook follows. (…)' },
        { role: 'user', content: 'What does chapter one say?' },
      ],
      ...(cachingOptions && { providerOptions: cachingOptions }),
    }),
  },
];
