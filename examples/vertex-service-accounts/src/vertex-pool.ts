import type { KitEvent } from '@kit/core';
import { createGemini, createVertexServiceAccountRefresh, vertexServiceAccountCredential, type ServiceAccountKey } from '@kit/gemini';
import { OAuthManager } from '@kit/oauthmanager';

/** One service account of the pool: its key file and, optionally, the region its calls go to. */
export interface PoolMember {
  keyFile: ServiceAccountKey | string;
  location?: string;
}

/** What `runVertexPool` needs; `fetch` (Vertex calls only), `baseURL` and `now` point it at local fakes in the local run. */
export interface VertexPoolOptions {
  members: readonly PoolMember[];
  calls: number;
  write: (text: string) => void;
  location?: string;
  model?: string;
  baseURL?: string;
  fetch?: typeof globalThis.fetch;
  now?: () => number;
  /** Called after each call (the local run moves its clock here). */
  afterCall?: () => void;
}

/**
 * Gemini on Vertex AI through a pool of service accounts: one `OAuthManager` credential per key file (each with its
 * project and, if given, its region), `vertexServiceAccountRefresh` to get their tokens, calls spread across them.
 * Prints one line per call and per token refresh; never a key or a token.
 */
export async function runVertexPool(options: VertexPoolOptions): Promise<{ succeeded: number; failed: number }> {
  const line = (text: string) => options.write(`${text}\n`);
  const onEvent = (event: KitEvent) => {
    if (event.type === 'token-refresh')
      line(`  token for ${event.credentialId}: ${event.success ? 'ok' : `refused (${event.error?.code ?? 'error'}: ${event.error?.message ?? ''})`}`);
  };
  const credentials = new OAuthManager(
    'vertex',
    options.members.map((member) => vertexServiceAccountCredential(member.keyFile, member.location ? { location: member.location } : {})),
    // The clock of the assertions' iat / exp (the local run's simulated one); token requests use the global fetch.
    createVertexServiceAccountRefresh(options.now ? { now: options.now } : {}),
    { ...(options.now ? { now: options.now } : {}), onEvent },
  );
  const vertex = createGemini({
    backend: 'vertex',
    credentials,
    ...(options.location ? { location: options.location } : {}),
    ...(options.model ? { defaultModel: options.model } : {}),
    ...(options.baseURL ? { baseURL: options.baseURL } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  let succeeded = 0;
  let failed = 0;
  for (let call = 1; call <= options.calls; call += 1) {
    try {
      const completion = await vertex.complete({ prompt: `In five words: why pool service accounts? (call ${call})`, maxTokens: 64 });
      succeeded += 1;
      line(`call ${call}: ok via ${completion.credentialId} — ${completion.text.trim().slice(0, 80)}`);
    } catch (error) {
      failed += 1;
      line(`call ${call}: failed — ${error instanceof Error ? error.message : String(error)}`);
    }
    options.afterCall?.();
  }
  line(`${succeeded}/${options.calls} calls succeeded`);
  return { succeeded, failed };
}
