import type { ModelCapabilities, ModelInfo } from '@kit/core';
import { OLLAMA_DEFAULT_MODEL } from './ollama-settings';
import { fieldsOf } from './wire';

/** What `/api/tags` and `/api/ps` say of a model's build (`details`). */
export interface OllamaModelDetails {
  format?: string;
  family?: string;
  families?: string[];
  parameterSize?: string;
  quantizationLevel?: string;
}

/** A model loaded in memory right now (`GET /api/ps`). */
export interface OllamaRunningModel {
  /** The model's name (`llama3.2:latest`): use it as `model`. */
  id: string;
  sizeBytes?: number;
  /** Bytes held in GPU memory; absent when the model runs wholly in system memory. */
  sizeVramBytes?: number;
  /** When Ollama unloads it (epoch ms), by `keep_alive`. */
  expiresAt?: number;
  /** The context window it was loaded with. */
  contextLength?: number;
  digest?: string;
  details: OllamaModelDetails;
}

const vision = /llava|vision|-vl\b|vl:|gemma3|moondream|minicpm-v|mistral-small3\.[12]|llama4|qwen2\.5vl|qwen3-vl|granite3\.2-vision|bakllava/;
const reasoning = /qwen3|deepseek-r1|gpt-oss|magistral|qwq|phi4-reasoning|cogito|deepseek-v3\.1/;

/**
 * A model's capabilities guessed from its name and families: `/api/tags` does not list them (only `/api/show`
 * per model does). Every chat model streams and takes `format`; tool support is assumed (calls to a model without
 * it fail with Ollama's 400); vision and thinking by known families.
 */
export function ollamaModelCapabilities(id: string, families: readonly string[] = []): ModelCapabilities {
  const text = `${id} ${families.join(' ')}`.toLowerCase();
  return {
    streaming: true,
    tools: true,
    vision: vision.test(text) || families.some((family) => /clip|mllama/.test(family)),
    reasoning: reasoning.test(text),
    json: true,
  };
}

/** Served by `getModels()` when the server cannot be reached: only the default model (what is installed is unknown). */
export const ollamaFallbackModels: readonly ModelInfo[] = /* @__PURE__ */ [
  { id: OLLAMA_DEFAULT_MODEL, provider: 'ollama', capabilities: ollamaModelCapabilities(OLLAMA_DEFAULT_MODEL) },
];

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
const positive = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined);

function readDetails(value: unknown): OllamaModelDetails {
  const details = fieldsOf(value);
  const families = Array.isArray(details.families) ? details.families.filter((family): family is string => typeof family === 'string') : undefined;
  const read: OllamaModelDetails = {};
  const format = text(details.format);
  const family = text(details.family);
  const parameterSize = text(details.parameter_size);
  const quantizationLevel = text(details.quantization_level);
  if (format) read.format = format;
  if (family) read.family = family;
  if (families?.length) read.families = families;
  if (parameterSize) read.parameterSize = parameterSize;
  if (quantizationLevel) read.quantizationLevel = quantizationLevel;
  return read;
}

/** The entries of a `{ models: [...] }` body that have a name (`name`, else `model`). */
function namedEntries(body: unknown): { id: string; entry: Record<string, unknown> }[] {
  const list = fieldsOf(body).models;
  if (!Array.isArray(list)) return [];
  return list.flatMap((item: unknown) => {
    const entry = fieldsOf(item);
    const id = text(entry.name) ?? text(entry.model);
    return id ? [{ id, entry }] : [];
  });
}

/**
 * Parses `GET /api/tags` (`{ models: [{ name, model, modified_at, size, digest, details }] }`) leniently: entries
 * without a name are skipped, unknown fields ignored. The name (`llama3.2:latest`) is the id to pass as `model`.
 */
export function parseOllamaModels(body: unknown, provider: string): ModelInfo[] {
  return namedEntries(body).map(({ id, entry }) => {
    const details = readDetails(entry.details);
    const model: ModelInfo = { id, provider, capabilities: ollamaModelCapabilities(id, details.families ?? (details.family ? [details.family] : [])) };
    if (details.parameterSize) model.name = `${id} (${details.parameterSize}${details.quantizationLevel ? `, ${details.quantizationLevel}` : ''})`;
    return model;
  });
}

/**
 * Parses `GET /api/ps` (`{ models: [{ name, model, size, digest, details, expires_at, size_vram, context_length }] }`)
 * leniently: sizes in bytes, `expires_at` (RFC 3339) as epoch ms.
 */
export function parseOllamaRunningModels(body: unknown): OllamaRunningModel[] {
  return namedEntries(body).map(({ id, entry }) => {
    const running: OllamaRunningModel = { id, details: readDetails(entry.details) };
    const size = positive(entry.size);
    const sizeVram = positive(entry.size_vram);
    const contextLength = positive(entry.context_length);
    const expiresAt = typeof entry.expires_at === 'string' ? Date.parse(entry.expires_at) : Number.NaN;
    const digest = text(entry.digest);
    if (size !== undefined) running.sizeBytes = size;
    if (sizeVram !== undefined) running.sizeVramBytes = sizeVram;
    if (!Number.isNaN(expiresAt)) running.expiresAt = expiresAt;
    if (contextLength !== undefined) running.contextLength = contextLength;
    if (digest) running.digest = digest;
    return running;
  });
}
