// Gemini answers written from Google's public API reference (ai.google.dev/api/generate-content):
// `GenerateContentResponse` with `candidates[].content.parts[]`, `finishReason`, `usageMetadata`, `promptFeedback`,
// `modelVersion`, `responseId`. Streams (`:streamGenerateContent?alt=sse`) send one such object per `data:` event.

/** An obviously fake thought signature (real ones are opaque base64 blobs). */
export const SIGNATURE = 'c2lnbmF0dXJlLW9mLWEtdGhvdWdodC0x';
export const SIGNATURE_2 = 'c2lnbmF0dXJlLW9mLWEtdGhvdWdodC0y';

type Json = Record<string, unknown>;

const response = (parts: Json[], extra: Json = {}): Json => ({
  candidates: [{ content: { parts, role: 'model' }, index: 0, ...(extra.finishReason ? { finishReason: extra.finishReason } : {}) }],
  ...(extra.usageMetadata ? { usageMetadata: extra.usageMetadata } : {}),
  modelVersion: 'gemini-2.5-flash',
  responseId: 'resp-gemini-1',
});

/** Plain text in three events; usage grows as it goes and is complete in the last one. */
export const plainText: Json[] = [
  response([{ text: 'Hello' }], { usageMetadata: { promptTokenCount: 9, totalTokenCount: 9 } }),
  response([{ text: ', world' }]),
  response([{ text: '!' }], {
    finishReason: 'STOP',
    usageMetadata: { promptTokenCount: 9, candidatesTokenCount: 4, totalTokenCount: 13, promptTokensDetails: [{ modality: 'TEXT', tokenCount: 9 }] },
  }),
];

/** Thought summaries (`includeThoughts: true`), then the answer; the signature on the last text part. */
export const thoughtsThenText: Json[] = [
  response([{ text: '**Weighing the options**\nThe user wants a prime.', thought: true }]),
  response([{ text: 'Seven is prime.', thoughtSignature: SIGNATURE }], {
    finishReason: 'STOP',
    usageMetadata: { promptTokenCount: 12, candidatesTokenCount: 5, thoughtsTokenCount: 120, totalTokenCount: 137 },
  }),
];

/** One function call (a whole call in one part, Gemini 3 style with a signature), after a little text. */
export const functionCallStream: Json[] = [
  response([{ text: 'Let me check.' }]),
  response([{ functionCall: { name: 'get_weather', args: { city: 'Paris', unit: 'celsius' } }, thoughtSignature: SIGNATURE }], {
    finishReason: 'STOP',
    usageMetadata: { promptTokenCount: 40, candidatesTokenCount: 18, thoughtsTokenCount: 30, totalTokenCount: 88 },
  }),
];

/** Parallel calls in one event: only the first carries the signature; the second has an id of Gemini's own. */
export const parallelCalls: Json[] = [
  response(
    [
      { functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: SIGNATURE },
      { functionCall: { id: 'fc-gemini-7', name: 'get_time', args: { zone: 'Europe/Paris' } } },
      { functionCall: { name: 'ping' } },
    ],
    { finishReason: 'STOP', usageMetadata: { promptTokenCount: 50, candidatesTokenCount: 30, totalTokenCount: 80 } },
  ),
];

/** Cut short by the safety filter after some text. */
export const safetyStop: Json[] = [
  response([{ text: 'Here is how' }]),
  {
    candidates: [
      {
        content: { parts: [{ text: '' }], role: 'model' },
        finishReason: 'SAFETY',
        index: 0,
        safetyRatings: [{ category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH', blocked: true }],
      },
    ],
    usageMetadata: { promptTokenCount: 8, candidatesTokenCount: 3, totalTokenCount: 11 },
    modelVersion: 'gemini-2.5-flash',
  },
];

/** The prompt itself blocked: no candidates at all, `promptFeedback.blockReason`. */
export const promptBlocked: Json[] = [
  {
    promptFeedback: {
      blockReason: 'PROHIBITED_CONTENT',
      safetyRatings: [{ category: 'HARM_CATEGORY_HARASSMENT', probability: 'NEGLIGIBLE' }],
    },
    usageMetadata: { promptTokenCount: 7, totalTokenCount: 7 },
    modelVersion: 'gemini-2.5-flash',
  },
];

/** Ran out of output tokens; a context cache served part of the prompt. */
export const maxTokensCached: Json[] = [
  response([{ text: 'The first part of a long' }], {
    finishReason: 'MAX_TOKENS',
    usageMetadata: { promptTokenCount: 2000, cachedContentTokenCount: 1500, candidatesTokenCount: 6, totalTokenCount: 2006 },
  }),
];

/** Code Assist's envelope: the same response inside `response`, with a `traceId`. */
export const codeAssistWrapped = (events: Json[]): Json[] => events.map((event) => ({ response: event, traceId: 'trace-1' }));

/** A Google error body inside a stream (what Gemini sends when a stream fails after its head). */
export const inStreamError: Json = { error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' } };

/** SSE text as Gemini sends it (`data: {…}\r\n\r\n`). */
export const sseBody = (events: readonly Json[]) => events.map((event) => `data: ${JSON.stringify(event)}\r\n\r\n`).join('');

/** Google error bodies (`google.rpc.Status`), as the API returns them. */
export const errors = {
  apiKeyInvalid: {
    error: {
      code: 400,
      message: 'API key not valid. Please pass a valid API key.',
      status: 'INVALID_ARGUMENT',
      details: [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'API_KEY_INVALID',
          domain: 'googleapis.com',
          metadata: { service: 'generativelanguage.googleapis.com' },
        },
        { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message: 'API key not valid. Please pass a valid API key.' },
      ],
    },
  },
  perMinuteQuota: {
    error: {
      code: 429,
      message:
        'You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits. Please retry in 43.123456s.',
      status: 'RESOURCE_EXHAUSTED',
      details: [
        {
          '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
          violations: [
            {
              quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests',
              quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier',
              quotaDimensions: { location: 'global', model: 'gemini-2.5-flash' },
              quotaValue: '10',
            },
          ],
        },
        {
          '@type': 'type.googleapis.com/google.rpc.Help',
          links: [{ description: 'Learn more about Gemini API quotas', url: 'https://ai.google.dev/gemini-api/docs/rate-limits' }],
        },
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '43s' },
      ],
    },
  },
  perDayQuota: {
    error: {
      code: 429,
      message: 'You exceeded your current quota, please check your plan and billing details.',
      status: 'RESOURCE_EXHAUSTED',
      details: [
        {
          '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
          violations: [
            {
              quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests',
              quotaId: 'GenerateRequestsPerDayPerProjectPerModel-FreeTier',
              quotaValue: '250',
            },
          ],
        },
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '3600s' },
      ],
    },
  },
  permissionDenied: {
    error: {
      code: 403,
      message: 'Generative Language API has not been used in project 123456 before or it is disabled.',
      status: 'PERMISSION_DENIED',
      details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'SERVICE_DISABLED', domain: 'googleapis.com' }],
    },
  },
  unauthenticated: {
    error: { code: 401, message: 'Request had invalid authentication credentials. Expected OAuth 2 access token.', status: 'UNAUTHENTICATED' },
  },
  notFound: {
    error: { code: 404, message: 'models/gemini-9-ultra is not found for API version v1beta, or is not supported for generateContent.', status: 'NOT_FOUND' },
  },
  tooLong: {
    error: { code: 400, message: 'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).', status: 'INVALID_ARGUMENT' },
  },
  badRequest: {
    error: { code: 400, message: '* GenerateContentRequest.contents: contents is not specified', status: 'INVALID_ARGUMENT' },
  },
  internal: {
    error: {
      code: 500,
      message: 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
      status: 'INTERNAL',
    },
  },
  overloaded: { error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' } },
  codeAssistCapacity: {
    error: {
      code: 429,
      message: 'You have exhausted your capacity on this model. Your quota will reset after 2h13m.',
      status: 'RESOURCE_EXHAUSTED',
      details: [
        { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'QUOTA_EXHAUSTED', domain: 'cloudcode-pa.googleapis.com' },
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '7980s' },
      ],
    },
  },
};
