import { KitError, type CallOptions } from '@kit/core';
import { atLeast, compact, durationMsSchema, integerSchema, isRecord, nonEmptyStringSchema, parseOrThrow } from '@kit/core/provider-utils';
import * as z from 'zod/mini';
import { keepAliveSchema } from './ollama-settings';
import { mapOllamaUsage, readOllamaDurations } from './ollama-stream-mapper';
import { fieldsOf } from './wire';

/** Options of `embed()`: what `POST /api/embed` takes, plus the call's `signal` and `timeoutMs`. */
export interface OllamaEmbedOptions extends CallOptions {
  /**
   * The embedding model (`'embeddinggemma'`, `'nomic-embed-text'`, `'all-minilm'`). Required: the provider's
   * `defaultModel` is a chat model, which cannot embed.
   */
  model: string;
  /** One text, or several (one vector each, in the same order). Neither the list nor any text may be empty. */
  input: string | readonly string[];
  /** `truncate`: cut inputs longer than the context window (Ollama's default, `true`); `false` makes them an error. */
  truncate?: boolean;
  /** `dimensions`: the length of each vector, for models that can shorten theirs (a positive integer). */
  dimensions?: number;
  /** `keep_alive` for this call; default the provider's `keepAlive` setting, else Ollama's own (`5m`). */
  keepAlive?: string | number;
}

/** What `embed()` resolves with. */
export interface OllamaEmbeddings {
  /** The model that answered (Ollama's name for it; the requested one when the answer leaves it out). */
  model: string;
  /** One vector per input, in the order of the inputs. */
  embeddings: number[][];
  /** `inputTokens` = `prompt_eval_count` (0 when Ollama leaves it out). */
  usage: { inputTokens: number };
  /** `total_duration`, in milliseconds. */
  totalDurationMs?: number;
  /** `load_duration` (loading the model), in milliseconds. */
  loadDurationMs?: number;
}

/** The body of `POST /api/embed`. */
export interface OllamaEmbedBody {
  model: string;
  input: string | readonly string[];
  truncate?: boolean;
  dimensions?: number;
  keep_alive?: string | number;
}

const mustNotBeEmpty = 'must not be empty';

/** `input`: a text or a list of texts, none of them empty, the list not empty either (`input[2]: must not be empty`). */
const embedInputSchema = () =>
  z
    .union([z.string(), z.array(z.string())], { error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string or an array of strings') })
    .check(
      z.superRefine((input, context) => {
        if (input.length === 0) context.addIssue({ code: 'custom', message: mustNotBeEmpty, input });
        else if (Array.isArray(input))
          input.forEach((text, index) => {
            if (text === '') context.addIssue({ code: 'custom', message: mustNotBeEmpty, path: [index], input: text });
          });
      }),
    );

/** Strict: an unknown option is an `invalid_request` error naming it, as is a bad value. */
export const ollamaEmbedOptionsSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    model: nonEmptyStringSchema(),
    input: embedInputSchema(),
    truncate: z.optional(z.boolean()),
    dimensions: z.optional(integerSchema().check(atLeast(0, true))),
    keepAlive: z.optional(keepAliveSchema()),
    signal: z.optional(
      z.custom<AbortSignal>((value) => isRecord(value) && typeof (value as { aborted?: unknown }).aborted === 'boolean', { error: 'must be an AbortSignal' }),
    ),
    timeoutMs: z.optional(durationMsSchema()),
  }))();

/** Checks the options of `embed()`; throws `KitError('invalid_request')` naming each bad field (`input[1]: must not be empty`). */
export function validateOllamaEmbedOptions(options: unknown, provider = 'ollama'): OllamaEmbedOptions {
  return parseOrThrow(ollamaEmbedOptionsSchema, options, 'invalid_request', { what: `${provider}: invalid embed options`, provider });
}

/** Maps checked options to `POST /api/embed`; unset fields are not sent, `keepAlive` falls back to the setting. */
export function buildOllamaEmbedRequest(options: OllamaEmbedOptions, defaultKeepAlive?: string | number): OllamaEmbedBody {
  const { model, input, truncate, dimensions } = options;
  return compact({ model, input, truncate, dimensions, keep_alive: options.keepAlive ?? defaultKeepAlive });
}

/** Where an answer of `/api/embed` came from, for its errors. */
export interface OllamaEmbedContext {
  provider: string;
  /** The requested model: the result's `model` when the answer names none. */
  model: string;
  /** How many vectors the answer must hold (one per input). */
  count: number;
  credentialId?: string | undefined;
}

/** Why `embeddings` is not `count` non-empty vectors of finite numbers of one length; `undefined` when it is. */
function embeddingsProblem(embeddings: unknown, count: number): string | undefined {
  if (!Array.isArray(embeddings)) return 'embeddings: missing or not an array';
  if (embeddings.length !== count) return `embeddings: ${embeddings.length} vectors for ${count} inputs`;
  const dimensions = Array.isArray(embeddings[0]) ? embeddings[0].length : 0;
  for (let index = 0; index < count; index++) {
    const vector: unknown = embeddings[index];
    if (!Array.isArray(vector) || vector.length === 0) return `embeddings[${index}]: not a non-empty array of numbers`;
    if (vector.length !== dimensions) return `embeddings[${index}]: ${vector.length} dimensions, embeddings[0] has ${dimensions}`;
    const bad = vector.findIndex((value) => !(typeof value === 'number' && Number.isFinite(value)));
    if (bad !== -1) return `embeddings[${index}][${bad}]: not a finite number`;
  }
  return undefined;
}

/**
 * Reads an answer of `POST /api/embed` (`{ model, embeddings: [[…], …], total_duration, load_duration,
 * prompt_eval_count }`, durations in nanoseconds): unknown fields are ignored, optional ones may be missing, but
 * `embeddings` must hold one non-empty vector of finite numbers per input, all of one length, else
 * `KitError('invalid_response')` saying what is wrong (never quoting the body).
 */
export function parseOllamaEmbeddings(body: unknown, context: OllamaEmbedContext): OllamaEmbeddings {
  const fields = fieldsOf(body);
  const problem = embeddingsProblem(fields.embeddings, context.count);
  if (problem) {
    throw new KitError('invalid_response', `${context.provider}: embeddings: the answer is malformed: ${problem}`, {
      provider: context.provider,
      credentialId: context.credentialId,
    });
  }
  const { totalMs, loadMs } = readOllamaDurations(fields);
  const result: OllamaEmbeddings = {
    model: typeof fields.model === 'string' && fields.model !== '' ? fields.model : context.model,
    embeddings: fields.embeddings as number[][],
    usage: { inputTokens: mapOllamaUsage(fields).inputTokens },
  };
  if (totalMs !== undefined) result.totalDurationMs = totalMs;
  if (loadMs !== undefined) result.loadDurationMs = loadMs;
  return result;
}
