import { atLeast, integerSchema, nonEmptyStringSchema, parseOrThrow } from '@kit/core/provider-utils';
import { validateOpenAIProviderOptions } from '@kit/openai-compatible';
import * as z from 'zod/mini';

const slugList = () => z.array(nonEmptyStringSchema());
const price = () => z.optional(z.number().check(atLeast(0)));

/**
 * `providerOptions.openrouter`: OpenRouter's request fields, sent as they are named on the wire. The four it is known
 * for are checked strictly (a misspelt field of `provider` or `reasoning` is an `invalid_request` naming it); other
 * body fields (`transforms`, `plugins`, `top_k`, …) pass through, except those \@kit sets (`model`, `messages`, `stream`).
 * Built in a pure IIFE so that it is shaken out of bundles that never validate it.
 */
export const openRouterProviderOptionsSchema = /* @__PURE__ */ (() =>
  z.looseObject({
    /** Server-side fallback: models tried in order when the first one fails (`model` is the first). */
    models: z.optional(slugList().check(z.minLength(1))),
    /** Provider routing preferences (https://openrouter.ai/docs/features/provider-routing). */
    provider: z.optional(
      z.strictObject({
        order: z.optional(slugList()),
        allow_fallbacks: z.optional(z.boolean()),
        require_parameters: z.optional(z.boolean()),
        data_collection: z.optional(z.enum(['allow', 'deny'])),
        zdr: z.optional(z.boolean()),
        only: z.optional(slugList()),
        ignore: z.optional(slugList()),
        quantizations: z.optional(slugList()),
        sort: z.optional(z.enum(['price', 'throughput', 'latency'])),
        max_price: z.optional(z.strictObject({ prompt: price(), completion: price(), request: price(), image: price() })),
      }),
    ),
    /** Reasoning tokens: an `effort` or a `max_tokens` budget (not both); `exclude` keeps them out of the answer. */
    reasoning: z.optional(
      z
        .strictObject({
          effort: z.optional(z.enum(['xhigh', 'high', 'medium', 'low', 'minimal', 'none'])),
          max_tokens: z.optional(integerSchema().check(atLeast(1))),
          exclude: z.optional(z.boolean()),
          enabled: z.optional(z.boolean()),
        })
        .check(
          z.refine((reasoning) => reasoning.effort === undefined || reasoning.max_tokens === undefined, { error: 'effort and max_tokens exclude each other' }),
        ),
    ),
    /** `{ include: true }`: the answer's usage carries the cost (OpenRouter sends it on every answer today). */
    usage: z.optional(z.strictObject({ include: z.boolean() })),
  }))();

/** `providerOptions.openrouter`, typed: the checked fields, plus any other body field. */
export type OpenRouterProviderOptions = z.infer<typeof openRouterProviderOptionsSchema>;

/**
 * Checks `providerOptions.openrouter` (`provider` is the instance name when it is not `openrouter`): the dialect's
 * rules (a plain object that does not set `model`, `messages` or `stream`), then OpenRouter's own fields.
 */
export function validateOpenRouterProviderOptions(options: unknown, provider: string): OpenRouterProviderOptions {
  validateOpenAIProviderOptions(options, provider, 'openrouter');
  return parseOrThrow(openRouterProviderOptionsSchema, options, 'invalid_request', {
    what: provider,
    provider,
    prefix: 'providerOptions.openrouter',
  });
}
