// Reviewed against the Vertex AI reference, "projects.locations.publishers.models.generateContent"
// (https://cloud.google.com/vertex-ai/generative-ai/docs/reference/rest/v1/projects.locations.publishers.models/generateContent)
// and "Context caching" (cached contents are regional resources: projects/{project}/locations/{location}/cachedContents/{id}):
// - POST https://{location}-aiplatform.googleapis.com/v1/projects/{project}/locations/{location}/publishers/google/models/{model}:generateContent
//   (:streamGenerateContent?alt=sse for streams) with `Authorization: Bearer` (an OAuth access token).
// - The body is the Gemini API's `GenerateContentRequest` (same fields as gemini.test.ts checks).
// - As on the Gemini API, `cachedContent` may not be combined with `systemInstruction` / `tools` / `toolConfig`: the
//   prompt-caching case is refused before sending.
import { describe, expect, it } from 'vitest';
import { fidelitySuite } from './fidelity-suite';
import { vertexTarget } from './fidelity-targets';

describe('Gemini on Vertex AI request fidelity', () => {
  const suite = fidelitySuite(vertexTarget);

  it('calls the regional publisher-model URL with a Bearer token and the Gemini body', async () => {
    const plain = await suite.request('plain-text');
    expect(plain.url).toBe(
      'https://us-central1-aiplatform.googleapis.com/v1/projects/fidelity-project/locations/us-central1/publishers/google/models/gemini-3.5-flash-lite:generateContent',
    );
    expect(plain.headers.authorization).toBe('Bearer <api-key>');
    expect(plain.headers).not.toHaveProperty('x-goog-api-key');
    expect(plain.body.systemInstruction).toEqual({ parts: [{ text: 'You are terse.' }] });
  });
});
