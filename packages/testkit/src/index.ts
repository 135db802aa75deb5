/**
 * Local fake upstreams for every wire dialect, scripted faults, and test helpers for apps and provider packages.
 *
 * @module @kit/testkit
 */
export { createMockUpstream } from './mock-upstream';
export type { MockUpstream, MockUpstreamOptions } from './mock-upstream';
export type { MockCredential } from './credential-scripts';
export { faults, replies } from './upstream-script';
export type {
  Behaviour,
  ErrorMidStreamBehaviour,
  HangBehaviour,
  MalformedSseBehaviour,
  RateLimitedOptions,
  RawBehaviour,
  ResetMidStreamBehaviour,
  Script,
  ScriptFunction,
  ScriptedFinishReason,
  ScriptedToolCall,
  ScriptedUsage,
  SlowFirstByteBehaviour,
  StallMidStreamBehaviour,
  StatusBehaviour,
  StreamErrorDescription,
  TextBehaviour,
  ToolCallsBehaviour,
  UpstreamFault,
} from './upstream-script';
export type { RecordedRequest } from './record-request';
export type { DialectName, MockModel } from './upstream-dialect';
export type {
  CustomAnswer,
  CustomDialect,
  CustomDialectError,
  CustomErrorAnswer,
  CustomFinish,
  CustomFinishReason,
  CustomFrame,
  CustomReplyContext,
  CustomToolCallDelta,
  CustomUsage,
} from './custom-dialect';
export { runProviderConformance } from './provider-conformance';
export type { ConformanceReport, ProviderConformanceOptions, ProviderConformanceSuite, RegisterGroup, RegisterTest } from './provider-conformance';
export type { ConformanceCheck, ConformanceFinishReason, ConformanceProviderSettings } from './conformance-checks';
export { ConformanceFailure } from './conformance-assertions';
export type { CodeAssistOptions } from './gemini-code-assist';
export * from './oauth-token-server';
export * from './openrouter-auth-server';
export * from './google-token-endpoint';
export * from './test-service-account';
export * from './entra-token-server';
export { azureFaults, type AzureFilterCategory } from './azure-dialect';
