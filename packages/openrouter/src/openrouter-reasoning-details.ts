import type { ChatMessage } from '@kit/core';
import { signatureSegment, splitSignature, type EmitEvent } from '@kit/core/provider-utils';
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
  data?: unknown;
  id?: unknown;
  format?: unknown;
  index?: unknown;
}

const nonEmpty = (value: unknown): value is string => typeof value === 'string' && value !== '';

/**
 * How a `reasoning.encrypted` detail travels inside a reasoning part's `signature`, to be sent back as it came:
 * `reasoning.encrypted:<the detail as URI-encoded JSON, without its index>;`. Gemini's thought signatures arrive this
 * way (`format: "google-gemini-v1"`), and Gemini refuses the turn after a tool call without them; OpenAI's encrypted
 * reasoning too. A part's signature may hold the signature of its text detail and any number of these.
 */
const ENCRYPTED = 'reasoning.encrypted';

function encryptedDetailSegment({ index: _index, ...detail }: OpenRouterReasoningDetail): string {
  return signatureSegment(ENCRYPTED, encodeURIComponent(JSON.stringify(detail)));
}

/**
 * Emits what a delta's `reasoning_details` adds to its `reasoning` text: each signature (as a `reasoning-delta`
 * without text, so core keeps it on the block it closes), each `reasoning.encrypted` detail as a signature segment
 * (kept whole, for the next turn), and the text or summary of a detail only when the delta carried no `reasoning`
 * string (OpenRouter usually sends both; the text is not emitted twice).
 */
export function emitReasoningDetails(details: unknown, hasReasoningText: boolean, emit: EmitEvent): void {
  if (!Array.isArray(details)) return;
  for (const detail of details as (OpenRouterReasoningDetail | null)[]) {
    if (!detail || typeof detail !== 'object') continue;
    if (detail.type === 'reasoning.encrypted') {
      if (nonEmpty(detail.data)) emit({ type: 'reasoning-delta', text: '', signature: encryptedDetailSegment(detail) });
      continue;
    }
    const text = detail.type === 'reasoning.text' ? detail.text : detail.type === 'reasoning.summary' ? detail.summary : undefined;
    if (!hasReasoningText && nonEmpty(text)) emit({ type: 'reasoning-delta', text });
    if (nonEmpty(detail.signature)) emit({ type: 'reasoning-delta', text: '', signature: detail.signature });
  }
}

/** A reasoning part as `reasoning_details`: its text (with its own signature), then its encrypted details as they came. */
function detailsOf(text: string, signature = ''): Record<string, unknown>[] {
  const details: Record<string, unknown>[] = [];
  const { own, payloads } = splitSignature(signature, ENCRYPTED);
  if (text || own) details.push({ type: 'reasoning.text', text, ...(own ? { signature: own } : {}) });
  for (const encoded of payloads) {
    try {
      details.push(JSON.parse(decodeURIComponent(encoded)) as Record<string, unknown>);
    } catch {
      // not a segment this package wrote: left out rather than sent garbled
    }
  }
  return details;
}

/**
 * Sends an assistant's signed reasoning back, as OpenRouter asks for multi-turn tool use with reasoning models: each
 * `reasoning` part of an assistant message becomes a `reasoning.text` detail of that message, followed by the
 * `reasoning.encrypted` details it carried, unchanged (the dialect itself drops reasoning parts). Messages map one
 * to one, so `body.messages[i]` is `messages[i]`.
 */
export function addReasoningDetails(body: OpenAIChatBody, messages: readonly ChatMessage[]): OpenAIChatBody {
  messages.forEach((message, index) => {
    if (message.role !== 'assistant' || typeof message.content === 'string') return;
    const details = message.content.flatMap((part) => (part.type === 'reasoning' ? detailsOf(part.text, part.signature) : []));
    const wire = body.messages[index];
    if (details.length > 0 && wire) Object.assign(wire, { reasoning_details: details.map((detail, position) => ({ ...detail, index: position })) });
  });
  return body;
}
