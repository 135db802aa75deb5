export { bindOpenTelemetry, GEN_AI_DURATION_BUCKETS_SECONDS, GEN_AI_TOKEN_BUCKETS, type OpenTelemetryBindingOptions } from './bind-open-telemetry';
