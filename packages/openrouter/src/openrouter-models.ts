import type { ModelCapabilities, ModelInfo } from '@kit/core';
import { compact } from '@kit/core/provider-utils';

const fields = (value: unknown): Record<string, unknown> => (value && typeof value === 'object' ? (value as Record<string, unknown>) : {});
const positive = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined);

/** A price per token (OpenRouter sends decimal strings, `"0.000003"`) as dollars per million tokens; `-1` (a router's "varies") is none. */
function perMillionTokens(value: unknown): number | undefined {
  const perToken = typeof value === 'string' && value.trim() !== '' ? Number(value) : typeof value === 'number' ? value : Number.NaN;
  return Number.isFinite(perToken) && perToken >= 0 ? Math.round(perToken * 1e6 * 1e6) / 1e6 : undefined;
}

/**
 * Parses OpenRouter's `GET /models` (`{ data: [{ id, name, context_length, pricing, top_provider, architecture,
 * supported_parameters }] }`) leniently: entries without an id are skipped, unknown fields ignored. Pricing is in
 * dollars per million tokens (`prompt` / `completion` per token on the wire); capabilities come from the model's
 * `supported_parameters` (`tools`, `reasoning`, `response_format` / `structured_outputs`) and its input modalities.
 */
export function parseOpenRouterModels(body: unknown, provider: string): ModelInfo[] {
  const list = fields(body).data;
  if (!Array.isArray(list)) return [];
  return list.flatMap((raw: unknown): ModelInfo[] => {
    const entry = fields(raw);
    const { id } = entry;
    if (typeof id !== 'string' || id === '') return [];
    const parameters = Array.isArray(entry.supported_parameters) ? entry.supported_parameters : [];
    const inputs = fields(entry.architecture).input_modalities;
    const capabilities: ModelCapabilities = {
      streaming: true,
      tools: parameters.includes('tools'),
      vision: Array.isArray(inputs) && inputs.includes('image'),
      reasoning: parameters.includes('reasoning'),
      json: parameters.includes('response_format') || parameters.includes('structured_outputs'),
    };
    const pricing = fields(entry.pricing);
    const inputPerMTok = perMillionTokens(pricing.prompt);
    const outputPerMTok = perMillionTokens(pricing.completion);
    const topProvider = fields(entry.top_provider);
    return [
      compact({
        id,
        provider,
        name: typeof entry.name === 'string' && entry.name ? entry.name : undefined,
        contextWindow: positive(entry.context_length) ?? positive(topProvider.context_length),
        maxOutputTokens: positive(topProvider.max_completion_tokens),
        capabilities,
        pricing: inputPerMTok !== undefined && outputPerMTok !== undefined ? { inputPerMTok, outputPerMTok, currency: 'USD' } : undefined,
      }) as ModelInfo,
    ];
  });
}
