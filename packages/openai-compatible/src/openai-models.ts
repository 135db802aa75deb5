import { compact } from '@kit/core/provider-utils';
import type { ModelCapabilities, ModelInfo } from '@kit/core';

export interface OpenAIModelsOptions {
  /** Models the provider knows (its fallback list): their metadata fills in what the API does not say. */
  knownModels?: readonly ModelInfo[];
  /** Capabilities of a model the known list does not describe (or a function of its id). */
  defaultCapabilities: ModelCapabilities | ((id: string) => ModelCapabilities);
  /** Keeps only the ids this returns `true` for (OpenAI lists embedding, audio and image models too). */
  include?: (id: string) => boolean;
}

/** The first positive count among a record's fields (space-separated names). */
const firstCount = (record: Record<string, unknown>, fields: string) =>
  fields
    .split(' ')
    .map((field) => record[field])
    .find((value): value is number => Number.isFinite(value) && (value as number) > 0);

/** Parses `GET /models` (`{ data: [{ id, ... }] }`) leniently: entries without an id are skipped, unknown fields ignored. */
export function parseOpenAIModels(body: unknown, provider: string, options: OpenAIModelsOptions): ModelInfo[] {
  const list = Array.isArray(body) ? body : (body as { data?: unknown } | null)?.data;
  const { knownModels = [], defaultCapabilities, include } = options;
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry: Record<string, unknown> | null) => {
    const id = entry?.id;
    if (typeof id !== 'string' || !id || (include && !include(id))) return [];
    // The known model an id belongs to: the same id, or the longest known id it extends (`gpt-4.1-mini-2025-04-14`).
    const match = knownModels.reduce<ModelInfo | undefined>(
      (best, model) => (`${id}-`.startsWith(`${model.id}-`) && model.id.length > (best?.id.length ?? 0) ? model : best),
      undefined,
    );
    const name = entry.display_name ?? entry.name;
    return {
      // What the known model says (name, limits, pricing), unless the server says otherwise.
      ...match,
      ...compact({
        id,
        provider,
        name: typeof name === 'string' ? name : undefined,
        contextWindow: firstCount(entry, 'context_window context_length max_model_len max_context_length'),
        maxOutputTokens: firstCount(entry, 'max_completion_tokens max_output_tokens'),
        // OpenAI lists the announced shutdown (`YYYY-MM-DD`, or null when none is announced).
        shutdownDate: typeof entry.shutdown_date === 'string' ? entry.shutdown_date : undefined,
      }),
      capabilities: { ...(match?.capabilities ?? (typeof defaultCapabilities === 'function' ? defaultCapabilities(id) : defaultCapabilities)) },
    };
  });
}
