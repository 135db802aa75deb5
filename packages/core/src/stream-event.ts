import type { FinishReason, ServerTimings, Usage } from './chat-completion';
import type { ToolCall } from './chat-message';

/** One event of a chat stream; `start` is always first and `finish` always last on success. */
export type StreamEvent =
  | { type: 'start'; id?: string; model: string; credentialId?: string }
  | { type: 'text-delta'; text: string }
  | { type: 'reasoning-delta'; text: string; signature?: string }
  | { type: 'tool-call-delta'; index: number; id?: string; name?: string; argumentsDelta: string }
  | { type: 'tool-call'; toolCall: ToolCall }
  | { type: 'finish'; finishReason: FinishReason; usage: Usage; serverTimings?: ServerTimings };

/** Events that carry model output: a stream may fail over only before the first of these. */
export function isContentEvent(event: StreamEvent): boolean {
  return event.type !== 'start' && event.type !== 'finish';
}
