/**
 * OpenTelemetry: records \@kit events as GenAI semantic-convention metrics on a meter you provide.
 *
 * @module @kit/metrics/otel
 */
export { bindOpenTelemetry, GEN_AI_DURATION_BUCKETS_SECONDS, GEN_AI_TOKEN_BUCKETS, type OpenTelemetryBindingOptions } from './bind-open-telemetry';
