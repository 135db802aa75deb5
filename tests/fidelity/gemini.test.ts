// Reviewed against the Gemini API reference (https://ai.google.dev/api): "Generating content" (`models.generateContent`,
// `models.streamGenerateContent`), "Caching" (`cachedContent`), and the guides "Structured output", "Function calling",
// "Thinking" (thought signatures), "Document understanding":
// - POST {base}/models/{model}:generateContent, and :streamGenerateContent?alt=sse for streams; the key in
//   `x-goog-api-key`, never in the URL.
// - `contents[]` with roles `user` / `model`; `systemInstruction.parts[]` (one part per text part, never glued).
// - `generationConfig`: `temperature`, `topP`, `maxOutputTokens`, `stopSequences`; `responseMimeType:
//   'application/json'` with `responseJsonSchema` (JSON Schema; `responseSchema` takes the OpenAPI subset instead).
// - `tools[].functionDeclarations[]` with `parametersJsonSchema`; `toolConfig.functionCallingConfig` `mode` AUTO / ANY
//   with `allowedFunctionNames`; `functionCall` / `functionResponse` parts (with `id`), the response an object.
// - `inlineData { mimeType, data }` for base64 media (images, PDFs, text, audio); `fileData { mimeType, fileUri }` for URLs.
// - Thought signatures go back on the part that carried them (the first `functionCall` of the turn).
// - `cachedContent: 'cachedContents/…'` names an explicit cache.
// - The API refuses `cachedContent` together with `systemInstruction`, `tools` or `toolConfig` (400 "CachedContent can
//   not be used with GenerateContent request setting system_instruction, tools or tool_config"): those belong in the
//   cache, so the prompt-caching case (a system prompt beside the cache) is refused before sending.
import { describe, expect, it } from 'vitest';
import { fidelitySuite } from './fidelity-suite';
import { geminiTarget } from './fidelity-targets';

describe('Gemini API (API key) request fidelity', () => {
  const suite = fidelitySuite(geminiTarget);

  it('puts the key in x-goog-api-key (never the URL) and streams with alt=sse', async () => {
    const plain = await suite.request('plain-text');
    expect(plain.url).toBe('https://generativelanguage.googleapis.com/v1beta/models/gemini-3.5-flash-lite:generateContent');
    expect(plain.headers['x-goog-api-key']).toBe('<api-key>');
    expect(plain.body.generationConfig).toEqual({ temperature: 0.2, topP: 0.9, maxOutputTokens: 256, stopSequences: ['END'] });
    expect((await suite.request('plain-text-streamed')).url).toMatch(/:streamGenerateContent\?alt=sse$/);
  });

  it('sends JSON Schema as responseJsonSchema and the thought signature on the function call', async () => {
    expect((await suite.request('json-schema')).body.generationConfig).toMatchObject({
      responseMimeType: 'application/json',
      responseJsonSchema: { type: 'object' },
    });
    const [, model] = (await suite.request('reasoning-replay')).body.contents as { parts: Record<string, unknown>[] }[];
    expect(model?.parts.find((part) => 'functionCall' in part)).toMatchObject({ thoughtSignature: 'fidelity-signature-1' });
  });
});
