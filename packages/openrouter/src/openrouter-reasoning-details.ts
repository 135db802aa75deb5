import type { ChatMessage } from '@kit/core';
import type { EmitEvent } from '@kit/core/provider-utils';
import type { OpenAIChatBody } from '@kit/openai-compatible';

/**
 * One entry of OpenRouter's `reasoning_details` (read leniently): `reasoning.text` (thinking text, with the
 * `signature` a provider such as Anthropic needs to see again), `reasoning.summary` (a summary, OpenAI's
 * reasoning models), `reasoning.encrypted` (redacted thinking, `data`).
 */
export interface OpenRouterReasoningDetail {
  type?: unknown;
  text?: unknown;
  summary?: unknown;
  signature?: unknown;
  format?: unknown;
  index?: unknown;
}

const nonEmpty = (value: unknown): value is string => typeof value === 'string' && value !== '';

/**
 * Emits what a delta's `reasoning_details` adds to its `reasoning` text: each signature (as a `reasoning-delta`
 * without text, so core keeps it on the block it closes), and the text or summary of a detail only when the delta
 * carried no `reasoning` string (OpenRouter usually sends both; the text is not emitted twice).
 */
export function emitReasoningDetails(details: unknown, hasReasoningText: boolean, emit: EmitEvent): void {
  if (!Array.isArray(details)) return;
  for (const detail of details as (OpenRouterReasoningDetail | null)[]) {
    if (!detail || typeof detail !== 'object') continue;
    const text = detail.type === 'reasoning.text' ? detail.text : detail.type === 'reasoning.summary' ? detail.summary : undefined;
    if (!hasReasoningText && nonEmpty(text)) emit({ type: 'reasoning-delta', text });
    if (nonEmpty(detail.signature)) emit({ type: 'reasoning-delta', text: '', signature: detail.signature });
  }
}

/**
 * Sends an assistant's signed reasoning back, as OpenRouter asks for multi-turn tool use with reasoning models: each
 * `reasoning` part of an assistant message becomes a `reasoning.text` detail of that message (the dialect itself
 * drops reasoning parts). Messages map one to one, so `body.messages[i]` is `messages[i]`.
 */
export function addReasoningDetails(body: OpenAIChatBody, messages: readonly ChatMessage[]): OpenAIChatBody {
  messages.forEach((message, index) => {
    if (message.role !== 'assistant' || typeof message.content === 'string') return;
    const details = message.content.flatMap((part) =>
      part.type === 'reasoning' ? [{ type: 'reasoning.text', text: part.text, ...(part.signature ? { signature: part.signature } : {}) }] : [],
    );
    const wire = body.messages[index];
    if (details.length > 0 && wire) Object.assign(wire, { reasoning_details: details.map((detail, position) => ({ ...detail, index: position })) });
  });
  return body;
}
