import parsePrometheusTextFormat, { type ParsedFamily, type ParsedSample } from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import { MetricsCollector } from './metrics-collector';
import { escapeLabelValue, formatSampleValue } from './prometheus-exposition';
import { events } from './test-events';

const pricing = { openai: { 'gpt-4.1-mini': { inputPerMTok: 0.4, outputPerMTok: 1.6, cachedInputPerMTok: 0.1 } } };

function family(families: ParsedFamily[], name: string): ParsedFamily {
  const found = families.find((entry) => entry.name === name);
  if (!found) throw new Error(`no family ${name}`);
  return found;
}

function sample(families: ParsedFamily[], name: string, labels: Record<string, string>): ParsedSample {
  const matches = family(families, name).metrics.filter((metric) => JSON.stringify(metric.labels) === JSON.stringify(labels));
  if (matches.length !== 1) throw new Error(`${matches.length} samples of ${name} with ${JSON.stringify(labels)}`);
  return matches[0] as ParsedSample;
}

/**
 * A labelled histogram's buckets, sum and count, read with the parser. (The parser folds every label set of a
 * histogram family into one, so the TYPE line is relabelled `untyped`: each `_bucket`, `_sum` and `_count` line is
 * then parsed as a sample with all its labels, and the label set asked for is picked from those.)
 */
function histogram(text: string, name: string, labels: Record<string, string>) {
  const families = parsePrometheusTextFormat(text.replace(new RegExp(`^# TYPE ${name} histogram$`, 'm'), `# TYPE ${name} untyped`));
  const samplesOf = (suffix: string) => families.filter((entry) => entry.name === `${name}_${suffix}`).flatMap((entry) => entry.metrics);
  const same = (metric: ParsedSample) => {
    const { le: _le, ...rest } = metric.labels ?? {};
    return JSON.stringify(rest) === JSON.stringify(labels);
  };
  const buckets: Record<string, string> = {};
  for (const metric of samplesOf('bucket').filter(same)) buckets[metric.labels?.le as string] = metric.value as string;
  const [sum, ...moreSums] = samplesOf('sum').filter(same);
  const [countSample, ...moreCounts] = samplesOf('count').filter(same);
  if (!sum || !countSample || moreSums.length || moreCounts.length) throw new Error(`no single histogram ${name} ${JSON.stringify(labels)}`);
  return { buckets, sum: sum.value, count: countSample.value };
}

/** A scripted run over two credentials of one provider, one of them failing over. */
function scriptedRun(): MetricsCollector {
  const metrics = new MetricsCollector({ pricing, latencyBucketsMs: [100, 500, 2000] });
  const good = events({ model: 'gpt-4.1-mini', credentialId: 'key-good' });
  const limited = events({ model: 'gpt-4.1-mini', credentialId: 'key-limited' });
  // Call 1: rate limited, fails over, succeeds (streamed).
  metrics.record(limited.start());
  metrics.record(limited.error(40, { code: 'rate_limit', status: 429, message: 'slow down' }, true));
  metrics.record(limited.credentialFailure(1, 30_000, 'rate_limit'));
  metrics.record(good.failover('key-limited', 'key-good', 'rate_limit'));
  metrics.record(good.start());
  metrics.record(good.firstToken(80));
  metrics.record(good.success(450, { inputTokens: 2000, cachedInputTokens: 1000, outputTokens: 100, totalTokens: 2100, reasoningTokens: 20 }, { ttftMs: 80 }));
  // Call 2: succeeds at once (streamed).
  metrics.record(good.start());
  metrics.record(good.firstToken(120));
  metrics.record(good.success(2500, { inputTokens: 1000, outputTokens: 300, totalTokens: 1300 }, { ttftMs: 120 }));
  // Call 3: a 500 that ends the call.
  metrics.record(good.start());
  metrics.record(good.error(90, { code: 'server_error', status: 500, message: 'boom' }, false));
  metrics.record(good.callError({ code: 'server_error', status: 500, message: 'boom' }, 1));
  // Call 4: aborted by the caller mid-attempt (not an error).
  metrics.record(good.start());
  metrics.record(good.error(3000, { code: 'aborted', message: 'aborted' }, false));
  metrics.record(good.callError({ code: 'aborted', message: 'aborted' }, 1));
  // Call 5: fails before any attempt (every key cooling down).
  metrics.record(good.callError({ code: 'credentials_exhausted', message: 'every key is cooling down' }, 0));
  // The rate-limited key is reported unhealthy; an OAuth-style refresh on the good one.
  metrics.record(limited.unhealthy(3));
  metrics.record(good.refresh(true));
  metrics.record(good.refresh(false));
  return metrics;
}

describe('toPrometheus', () => {
  it('is valid text exposition parsed by an independent parser, value by value', () => {
    const text = scriptedRun().toPrometheus();
    const families = parsePrometheusTextFormat(text);
    const good = { provider: 'openai', model: 'gpt-4.1-mini', credential: 'key-good' };
    const limited = { provider: 'openai', model: 'gpt-4.1-mini', credential: 'key-limited' };

    expect(family(families, 'kit_requests_total')).toMatchObject({ type: 'COUNTER' });
    expect(family(families, 'kit_requests_total').help).toContain('attempt');
    expect(sample(families, 'kit_requests_total', good).value).toBe('4');
    expect(sample(families, 'kit_requests_total', limited).value).toBe('1');
    expect(sample(families, 'kit_request_successes_total', good).value).toBe('2');
    expect(sample(families, 'kit_request_successes_total', limited).value).toBe('0');

    // The aborted attempt is not an error (nor an error duration, below): it has a counter of its own.
    expect(family(families, 'kit_request_errors_total').metrics).toHaveLength(2);
    expect(sample(families, 'kit_request_errors_total', { ...limited, code: 'rate_limit', status: '429' }).value).toBe('1');
    expect(sample(families, 'kit_request_errors_total', { ...good, code: 'server_error', status: '500' }).value).toBe('1');
    expect(sample(families, 'kit_request_aborts_total', good).value).toBe('1');
    expect(sample(families, 'kit_request_aborts_total', limited).value).toBe('0');

    // Failed calls: one per provider and model, by code (the call before any attempt included); aborts apart.
    const model = { provider: 'openai', model: 'gpt-4.1-mini' };
    expect(family(families, 'kit_call_errors_total')).toMatchObject({ type: 'COUNTER' });
    expect(family(families, 'kit_call_errors_total').metrics).toHaveLength(2);
    expect(sample(families, 'kit_call_errors_total', { ...model, code: 'server_error' }).value).toBe('1');
    expect(sample(families, 'kit_call_errors_total', { ...model, code: 'credentials_exhausted' }).value).toBe('1');
    expect(sample(families, 'kit_call_aborts_total', model).value).toBe('1');

    const duration = family(families, 'kit_request_duration_seconds');
    expect(duration.type).toBe('HISTOGRAM');
    expect(histogram(text, 'kit_request_duration_seconds', { ...good, outcome: 'success' })).toEqual({
      buckets: { '0.1': '0', '0.5': '1', '2': '1', '+Inf': '2' },
      count: '2',
      sum: String((450 + 2500) / 1000),
    });
    expect(histogram(text, 'kit_request_duration_seconds', { ...good, outcome: 'error' })).toEqual({
      buckets: { '0.1': '1', '0.5': '1', '2': '1', '+Inf': '1' },
      count: '1',
      sum: '0.09',
    });
    expect(histogram(text, 'kit_request_duration_seconds', { ...limited, outcome: 'error' })).toEqual({
      buckets: { '0.1': '1', '0.5': '1', '2': '1', '+Inf': '1' },
      count: '1',
      sum: '0.04',
    });
    expect(() => histogram(text, 'kit_request_duration_seconds', { ...limited, outcome: 'success' })).toThrow();

    expect(family(families, 'kit_time_to_first_token_seconds').type).toBe('HISTOGRAM');
    expect(histogram(text, 'kit_time_to_first_token_seconds', good)).toEqual({
      buckets: { '0.1': '1', '0.5': '2', '2': '2', '+Inf': '2' },
      count: '2',
      sum: '0.2',
    });

    expect(sample(families, 'kit_tokens_total', { ...good, direction: 'input' }).value).toBe('3000');
    expect(sample(families, 'kit_tokens_total', { ...good, direction: 'output' }).value).toBe('400');
    expect(sample(families, 'kit_tokens_total', { ...good, direction: 'cached_input' }).value).toBe('1000');
    expect(sample(families, 'kit_tokens_total', { ...good, direction: 'reasoning' }).value).toBe('20');
    expect(sample(families, 'kit_tokens_total', { ...good, direction: 'cache_write_input' }).value).toBe('0');

    // (1000 × 0.4 + 1000 × 0.1 + 1000 × 0.4 + 400 × 1.6) / 1e6
    expect(Number(sample(families, 'kit_cost_usd_total', good).value)).toBeCloseTo(0.00154, 12);

    expect(sample(families, 'kit_failovers_total', { ...limited, reason: 'rate_limit' }).value).toBe('1');

    expect(family(families, 'kit_credential_healthy').type).toBe('GAUGE');
    expect(sample(families, 'kit_credential_healthy', { provider: 'openai', credential: 'key-good' }).value).toBe('1');
    expect(sample(families, 'kit_credential_healthy', { provider: 'openai', credential: 'key-limited' }).value).toBe('0');

    expect(sample(families, 'kit_token_refreshes_total', { provider: 'openai', credential: 'key-good', outcome: 'success' }).value).toBe('1');
    expect(sample(families, 'kit_token_refreshes_total', { provider: 'openai', credential: 'key-good', outcome: 'failure' }).value).toBe('1');
  });

  it('announces every family with HELP and TYPE before its samples, once, and ends with a newline', () => {
    const text = scriptedRun().toPrometheus();
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.trimEnd().split('\n');
    const names = [
      'kit_requests_total',
      'kit_request_successes_total',
      'kit_request_errors_total',
      'kit_request_aborts_total',
      'kit_call_errors_total',
      'kit_call_aborts_total',
      'kit_request_duration_seconds',
      'kit_time_to_first_token_seconds',
      'kit_tokens_total',
      'kit_cost_usd_total',
      'kit_failovers_total',
      'kit_credential_healthy',
      'kit_token_refreshes_total',
    ];
    for (const name of names) {
      const help = lines.indexOf(lines.find((line) => line.startsWith(`# HELP ${name} `)) ?? '');
      expect(help, name).toBeGreaterThanOrEqual(0);
      expect(lines[help + 1]).toMatch(new RegExp(`^# TYPE ${name} (counter|gauge|histogram)$`));
      expect(lines.filter((line) => line.startsWith(`# TYPE ${name} `))).toHaveLength(1);
      const firstSample = lines.findIndex((line) => line.startsWith(`${name}{`) || line.startsWith(`${name}_bucket{`));
      expect(firstSample).toBeGreaterThan(help);
    }
    // Every sample line: name, labels, one value, no timestamp.
    for (const line of lines.filter((entry) => !entry.startsWith('#'))) expect(line).toMatch(/^[a-z_]+\{.*\} (\+Inf|-?[0-9.e+-]+)$/);
  });

  it('an empty collector still announces every family and parses', () => {
    const text = new MetricsCollector().toPrometheus();
    expect(text).toContain('# TYPE kit_requests_total counter');
    expect(text).toContain('# TYPE kit_request_duration_seconds histogram');
    expect(text.split('\n').filter((line) => line && !line.startsWith('#'))).toEqual([]);
    expect(() => parsePrometheusTextFormat(text)).not.toThrow();
  });

  it('escapes backslashes, quotes and newlines in label values', () => {
    const metrics = new MetricsCollector();
    const tricky = events({ provider: 'my"provider', model: 'dir\\model\nnext', credentialId: 'key "1"\\' });
    metrics.record(tricky.start());
    metrics.record(tricky.success(10));
    const text = metrics.toPrometheus();
    expect(text).toContain('kit_requests_total{provider="my\\"provider",model="dir\\\\model\\nnext",credential="key \\"1\\"\\\\"} 1');
    // Every sample stays on one line.
    expect(text.split('\n').filter((line) => line.startsWith('kit_requests_total{'))).toHaveLength(1);
    const parsed = sample(parsePrometheusTextFormat(text), 'kit_requests_total', {
      provider: 'my"provider',
      model: 'dir\\model\nnext',
      credential: 'key "1"\\',
    });
    expect(parsed.value).toBe('1');
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
  });

  it('formats sample values', () => {
    expect(formatSampleValue(3)).toBe('3');
    expect(formatSampleValue(0.025)).toBe('0.025');
    expect(formatSampleValue(1e-7)).toBe('1e-7');
    expect(formatSampleValue(Number.POSITIVE_INFINITY)).toBe('+Inf');
    expect(formatSampleValue(Number.NEGATIVE_INFINITY)).toBe('-Inf');
    expect(formatSampleValue(Number.NaN)).toBe('NaN');
  });

  it('labels credentials by id only and masks error messages: no secret appears in Prometheus, JSON or the snapshot', () => {
    // Shaped like a provider key, built at run time. `record` also takes events from third-party sources, which may
    // not have masked their messages (or may put anything in a code).
    const secret = `sk-${'x'.repeat(24)}`;
    const metrics = new MetricsCollector({ pricing });
    const key = events({ model: 'gpt-4.1-mini', credentialId: 'key-1' });
    metrics.record(key.start());
    metrics.record(key.error(5, { code: 'authentication', status: 401, message: `Incorrect API key provided: ${secret}` }, true));
    metrics.record(key.start());
    metrics.record(key.success(5, { inputTokens: 1, outputTokens: 1, totalTokens: 2 }));
    metrics.record(events({ provider: 'other', model: 'm' }).callError({ code: secret as never, message: `key ${secret} was refused` }, 1));
    metrics.record(events({ provider: 'third', model: 'm' }).callError({ code: 'authentication', message: `Authorization: Bearer ${secret}` }, 1));
    const snapshot = metrics.snapshot();
    expect(snapshot.byCredential['openai:key-1']?.lastError).toEqual({ code: 'authentication', status: 401, message: 'Incorrect API key provided: ***' });
    expect(snapshot.byProvider.other?.lastError).toEqual({ code: 'unknown', message: 'key *** was refused' });
    for (const output of [metrics.toPrometheus(), JSON.stringify(metrics.toJSON()), JSON.stringify(snapshot)]) {
      expect(output).not.toContain(secret);
      expect(output).toContain('key-1');
    }
  });
});
