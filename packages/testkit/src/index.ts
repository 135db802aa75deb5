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
export type { CodeAssistOptions } from './gemini-code-assist';
export * from './oauth-token-server';
export * from './openrouter-auth-server';
