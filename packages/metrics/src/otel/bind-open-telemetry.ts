import type { Attributes, Meter, ObservableCallback } from '@opentelemetry/api';
import type { KitEvent } from '@kit/core';
import type { MetricsCollector } from '../metrics-collector';

/** Options of `bindOpenTelemetry`. */
export interface OpenTelemetryBindingOptions {
  /**
   * The `gen_ai.provider.name` of a \@kit provider name. Default: the well-known semantic-convention value where one
   * exists (`gemini` → `gcp.gemini`, `xai` → `x_ai`, `mistral` → `mistral_ai`), else the name itself.
   */
  providerName?: (provider: string) => string;
  /** Add `kit.credential.id` (credential ids, never secrets) to every data point. Default `true`. */
  credentialAttribute?: boolean;
  /** Also set the deprecated `gen_ai.system` attribute (same value) for backends on older conventions. Default `false`. */
  legacySystemAttribute?: boolean;
}

/** Bucket boundaries the GenAI conventions advise for durations in seconds. */
export const GEN_AI_DURATION_BUCKETS_SECONDS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];

/** Bucket boundaries the GenAI conventions advise for token counts. */
export const GEN_AI_TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];

const wellKnownProviderNames: Readonly<Record<string, string>> = {
  gemini: 'gcp.gemini',
  xai: 'x_ai',
  mistral: 'mistral_ai',
  moonshot: 'moonshot_ai',
};

function defaultProviderName(provider: string): string {
  return wellKnownProviderNames[provider] ?? provider;
}

/**
 * Feeds a collector's events into OpenTelemetry instruments created on `meter`, named after the GenAI semantic
 * conventions where they define one:
 *
 * | instrument | kind | unit | from |
 * |---|---|---|---|
 * | `gen_ai.client.operation.duration` | histogram | `s` | every attempt (`error.type` = the `KitError` code on failures) but the caller's aborts |
 * | `gen_ai.client.token.usage` | histogram | `{token}` | successful attempts, `gen_ai.token.type` `input` / `output` |
 * | `gen_ai.client.operation.time_to_first_chunk` | histogram | `s` | streamed attempts |
 * | `kit.client.cost` | counter | `USD` | successful attempts priced by the collector's `pricing` |
 * | `kit.client.failed_calls` | counter | `{call}` | `call-error` events but the caller's aborts (`error.type` = the code) |
 * | `kit.client.failovers` | counter | `{failover}` | `failover` events (`kit.failover.reason`) |
 * | `kit.client.token_refreshes` | counter | `{refresh}` | `token-refresh` events (`kit.refresh.outcome`) |
 * | `kit.credential.healthy` | observable gauge | `1` | `collector.getCredentialHealth()` at each collection |
 *
 * Every point carries `gen_ai.operation.name` = `chat`, `gen_ai.provider.name`, `gen_ai.request.model` (when known)
 * and `kit.credential.id` (unless turned off). Only types are imported from `@opentelemetry/api`: the optional peer
 * dependency is needed only by whoever creates the meter. Returns the function that unbinds.
 */
export function bindOpenTelemetry(collector: MetricsCollector, meter: Meter, options: OpenTelemetryBindingOptions = {}): () => void {
  const providerName = options.providerName ?? defaultProviderName;
  const withCredential = options.credentialAttribute !== false;
  const legacy = options.legacySystemAttribute === true;

  const duration = meter.createHistogram('gen_ai.client.operation.duration', {
    description: 'GenAI operation duration (one @kit request attempt).',
    unit: 's',
    advice: { explicitBucketBoundaries: GEN_AI_DURATION_BUCKETS_SECONDS },
  });
  const tokenUsage = meter.createHistogram('gen_ai.client.token.usage', {
    description: 'Number of input and output tokens used.',
    unit: '{token}',
    advice: { explicitBucketBoundaries: GEN_AI_TOKEN_BUCKETS },
  });
  const timeToFirstChunk = meter.createHistogram('gen_ai.client.operation.time_to_first_chunk', {
    description: 'Time to receive the first chunk of a streamed response.',
    unit: 's',
    advice: { explicitBucketBoundaries: GEN_AI_DURATION_BUCKETS_SECONDS },
  });
  const cost = meter.createCounter('kit.client.cost', { description: 'Estimated cost of successful attempts.', unit: 'USD' });
  const failedCalls = meter.createCounter('kit.client.failed_calls', {
    description: 'Calls that failed for good, after their attempts or before any (every credential down).',
    unit: '{call}',
  });
  const failovers = meter.createCounter('kit.client.failovers', { description: 'Times a call moved away from a credential.', unit: '{failover}' });
  const refreshes = meter.createCounter('kit.client.token_refreshes', { description: 'OAuth token refreshes.', unit: '{refresh}' });
  const healthy = meter.createObservableGauge('kit.credential.healthy', {
    description: 'Whether a credential is healthy (1) or not (0), as its credential manager reported.',
    unit: '1',
  });

  const attributesOf = (provider: string, model: string | undefined, credentialId: string | undefined): Attributes => {
    const name = providerName(provider);
    const attributes: Attributes = { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': name };
    if (legacy) attributes['gen_ai.system'] = name;
    if (model) attributes['gen_ai.request.model'] = model;
    if (withCredential && credentialId) attributes['kit.credential.id'] = credentialId;
    return attributes;
  };

  const unsubscribe = collector.subscribe((event: KitEvent) => {
    switch (event.type) {
      case 'request-success': {
        const attributes = attributesOf(event.provider, event.model, event.credentialId);
        if (event.latencyMs >= 0) duration.record(event.latencyMs / 1000, attributes);
        const usage = event.usage;
        if (usage) {
          if (usage.inputTokens >= 0) tokenUsage.record(usage.inputTokens, { ...attributes, 'gen_ai.token.type': 'input' });
          if (usage.outputTokens >= 0) tokenUsage.record(usage.outputTokens, { ...attributes, 'gen_ai.token.type': 'output' });
          const estimate = collector.estimateCost(event.provider, event.model ?? '', usage);
          if (!estimate.pricingMissing) cost.add(estimate.total, attributes);
        }
        return;
      }
      case 'request-error': {
        // The caller's cancel is not an operation error: its duration is the caller's choice.
        if (event.latencyMs >= 0 && event.error?.code !== 'aborted') {
          duration.record(event.latencyMs / 1000, {
            ...attributesOf(event.provider, event.model, event.credentialId),
            'error.type': event.error?.code ?? '_OTHER',
          });
        }
        return;
      }
      case 'call-error': {
        const code = event.error?.code ?? '_OTHER';
        if (code !== 'aborted') failedCalls.add(1, { ...attributesOf(event.provider, event.model, event.credentialId), 'error.type': code });
        return;
      }
      case 'stream-first-token':
        if (event.ttftMs >= 0) timeToFirstChunk.record(event.ttftMs / 1000, attributesOf(event.provider, event.model, event.credentialId));
        return;
      case 'failover':
        failovers.add(1, { ...attributesOf(event.provider, event.model, event.from || event.credentialId), 'kit.failover.reason': event.reason });
        return;
      case 'token-refresh':
        refreshes.add(1, { ...attributesOf(event.provider, undefined, event.credentialId), 'kit.refresh.outcome': event.success ? 'success' : 'failure' });
        return;
      default:
        return;
    }
  });

  const observeHealth: ObservableCallback = (result) => {
    for (const entry of collector.getCredentialHealth()) {
      result.observe(entry.healthy ? 1 : 0, { 'gen_ai.provider.name': providerName(entry.provider), 'kit.credential.id': entry.credentialId });
    }
  };
  healthy.addCallback(observeHealth);

  let bound = true;
  return () => {
    if (!bound) return;
    bound = false;
    unsubscribe();
    healthy.removeCallback(observeHealth);
  };
}
