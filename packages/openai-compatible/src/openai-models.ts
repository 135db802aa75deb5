import type { ModelCapabilities, ModelInfo } from '@kit/core';

export interface OpenAIModelsOptions {
  /** Models the provider knows (its fallback list): their metadata fills in what the API does not say. */
  knownModels?: readonly ModelInfo[];
  /** Capabilities of a model the known list does not describe (or a function of its id). */
  defaultCapabilities: ModelCapabilities | ((id: string) => ModelCapabilities);
  /** Keeps only the ids this returns `true` for (OpenAI lists embedding, audio and image models too). */
  include?: (id: string) => boolean;
}

const firstNumber = (record: Record<string, unknown>, fields: readonly string[]): number | undefined => {
  for (const field of fields) {
    const value = record[field];
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  }
  return undefined;
};

const contextFields = ['context_window', 'context_length', 'max_model_len', 'max_context_length'] as const;
const outputFields = ['max_completion_tokens', 'max_output_tokens'] as const;

/** The known model an id belongs to: the same id, or the longest known id it extends (`gpt-4.1-mini-2025-04-14`). */
function findKnown(id: string, known: readonly ModelInfo[]): ModelInfo | undefined {
  let best: ModelInfo | undefined;
  for (const model of known) {
    if (model.id === id) return model;
    if (id.startsWith(`${model.id}-`) && (!best || model.id.length > best.id.length)) best = model;
  }
  return best;
}

/** Parses `GET /models` (`{ data: [{ id, ... }] }`) leniently: entries without an id are skipped, unknown fields ignored. */
export function parseOpenAIModels(body: unknown, provider: string, options: OpenAIModelsOptions): ModelInfo[] {
  const list = Array.isArray(body) ? body : (body as { data?: unknown } | null)?.data;
  if (!Array.isArray(list)) return [];
  const known = options.knownModels ?? [];
  const fallback = options.defaultCapabilities;
  const capabilitiesOf = typeof fallback === 'function' ? fallback : () => fallback;
  const models: ModelInfo[] = [];
  for (const entry of list) {
    if (!entry || typeof entry !== 'object') continue;
    const record = entry as Record<string, unknown>;
    const id = record.id;
    if (typeof id !== 'string' || id === '' || (options.include && !options.include(id))) continue;
    const match = findKnown(id, known);
    const model: ModelInfo = { id, provider, capabilities: { ...(match?.capabilities ?? capabilitiesOf(id)) } };
    const name = record.display_name ?? record.name ?? match?.name;
    if (typeof name === 'string' && name !== '') model.name = name;
    const contextWindow = firstNumber(record, contextFields) ?? match?.contextWindow;
    if (contextWindow !== undefined) model.contextWindow = contextWindow;
    const maxOutputTokens = firstNumber(record, outputFields) ?? match?.maxOutputTokens;
    if (maxOutputTokens !== undefined) model.maxOutputTokens = maxOutputTokens;
    if (match?.pricing) model.pricing = { ...match.pricing };
    models.push(model);
  }
  return models;
}
