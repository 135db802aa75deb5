import type { ChatProvider, Provider } from '@kit/core';
import { atLeast, nonEmptyStringSchema } from '@kit/core/provider-utils';
import * as z from 'zod/mini';

/** A provider a router can route to: anything with `generateChatCompletion` and `complete` (a `Provider`, another router). */
export type RoutableProvider = ChatProvider & Partial<Omit<Provider, keyof ChatProvider>>;

/** One entry of a router, with its per-entry settings. */
export interface RouterEntryOptions {
  /** The provider this entry sends to (another router works too: routers nest). */
  provider: RoutableProvider;
  /** The model this entry asks for, whatever the call's `model` says (default: the call's model, else the provider's default). */
  model?: string;
  /** Share of the `'weighted'` load-balancing strategy (default 1; other strategies ignore it). */
  weight?: number;
  /** The entry's name in `failover` events and the router's config (default `provider.name`, plus `/model` when set). */
  name?: string;
}

/** An entry of `createFallback`, `createLoadBalancer` or `createRace`: a provider, or a provider with per-entry settings. */
export type RouterEntry = RoutableProvider | RouterEntryOptions;

/** A validated entry (internal). */
export interface ResolvedEntry {
  readonly name: string;
  readonly provider: RoutableProvider;
  readonly model: string | undefined;
  readonly weight: number;
}

const isChatProvider = (value: unknown): value is RoutableProvider => {
  const candidate = value as Record<string, unknown> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.name === 'string' &&
    typeof candidate.generateChatCompletion === 'function' &&
    typeof candidate.complete === 'function'
  );
};

const providerSchema = () => z.custom<RoutableProvider>(isChatProvider, { error: 'must be a provider (with name, generateChatCompletion and complete)' });

/** Strict: an unknown key of an entry object is an `invalid_config` error naming it. */
export function routerEntrySchema() {
  return z.union([
    providerSchema(),
    z.strictObject({
      provider: providerSchema(),
      model: z.optional(nonEmptyStringSchema()),
      weight: z.optional(z.number().check(atLeast(0, true), z.refine(Number.isFinite, { error: 'must be a finite number' }))),
      name: z.optional(nonEmptyStringSchema()),
    }),
  ]);
}

/** At least one entry. */
export function routerEntriesSchema() {
  return z.array(routerEntrySchema()).check(z.minLength(1, { error: 'must hold at least one entry' }));
}

/**
 * Names every entry (`name`, else `provider.name` with `/model` when the entry sets one); a name taken by an earlier
 * entry gets `#<position>` appended, so that events tell entries apart.
 */
export function resolveEntries(entries: readonly z.infer<ReturnType<typeof routerEntrySchema>>[]): ResolvedEntry[] {
  const taken = new Set<string>();
  return entries.map((entry, index) => {
    const options: RouterEntryOptions = isChatProvider(entry) ? { provider: entry } : entry;
    const base = options.name ?? (options.model ? `${options.provider.name}/${options.model}` : options.provider.name);
    const name = taken.has(base) ? `${base}#${index + 1}` : base;
    taken.add(name);
    return { name, provider: options.provider, model: options.model, weight: options.weight ?? 1 };
  });
}
