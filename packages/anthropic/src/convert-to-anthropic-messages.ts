import type { ChatMessage, ContentPart, MediaSource } from '@kit/core';
import { decodeBase64Text, splitSignature } from '@kit/core/provider-utils';
import { invalidRequest } from './wire';

/** A prompt-caching breakpoint: `ttl` defaults to 5 minutes on Anthropic's side. */
export interface AnthropicCacheControl {
  type: 'ephemeral';
  ttl?: '5m' | '1h';
}

export type AnthropicSource =
  | { type: 'base64'; media_type: string; data: string }
  | { type: 'url'; url: string }
  /** A plain-text document's own text (Anthropic takes base64 only for PDFs). */
  | { type: 'text'; media_type: 'text/plain'; data: string };

/** One content block of an Anthropic message. */
export type AnthropicContentBlock = (
  | { type: 'text'; text: string }
  | { type: 'image'; source: AnthropicSource }
  | { type: 'document'; source: AnthropicSource; title?: string }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> }
  | { type: 'tool_result'; tool_use_id: string; content: string | AnthropicContentBlock[] }
) & { cache_control?: AnthropicCacheControl };

export type AnthropicTextBlock = Extract<AnthropicContentBlock, { type: 'text' }>;

export interface AnthropicMessage {
  role: 'user' | 'assistant';
  content: string | AnthropicContentBlock[];
}

/** The top-level `system` and the `messages` of a Messages API request. */
export interface AnthropicPrompt {
  system?: string | AnthropicTextBlock[];
  messages: AnthropicMessage[];
}

/** The cache breakpoint for a message (`part` undefined: its last block) or one of its parts, if any. */
export type CacheControlLookup = (message: number, part?: number) => AnthropicCacheControl | undefined;

/** The kind of segment a `redacted_thinking` block travels as inside a reasoning part's `signature` (core's `signatureSegment`). */
export const REDACTED_THINKING = 'redacted_thinking';
/**
 * How a `redacted_thinking` block travels inside a reasoning part's `signature`: `redacted_thinking:<data>;`, a
 * segment of core's `signatureSegment`.
 */
export const REDACTED_THINKING_PREFIX = `${REDACTED_THINKING}:`;

/** A thinking block and the redacted ones a reasoning part carries; an unsigned one cannot be sent back and is dropped. */
function reasoningBlocks({ text, signature = '' }: { text: string; signature?: string }): AnthropicContentBlock[] {
  const blocks: AnthropicContentBlock[] = [];
  const { own, payloads } = splitSignature(signature, REDACTED_THINKING);
  if (own) blocks.push({ type: 'thinking', thinking: text, signature: own });
  for (const data of payloads) if (data) blocks.push({ type: 'redacted_thinking', data });
  return blocks;
}

const wireSource = (source: MediaSource): AnthropicSource =>
  source.type === 'url' ? { type: 'url', url: source.url } : { type: 'base64', media_type: source.mediaType, data: source.data };

/** A document's source: a `text/plain` one as its text (the API's text source), any other as given. */
const documentSource = (source: MediaSource, field: string, provider: string): AnthropicSource =>
  source.type === 'base64' && /^text\/plain\b/i.test(source.mediaType)
    ? { type: 'text', media_type: 'text/plain', data: decodeBase64Text(source.data, `${field}.source.data`, provider) }
    : wireSource(source);

/** A user (or tool result) part: text, image or document; audio and reasoning are rejected. */
function userBlock(part: ContentPart, field: string, provider: string): AnthropicContentBlock {
  if (part.type === 'text') return { type: 'text', text: part.text };
  if (part.type === 'image') return { type: 'image', source: wireSource(part.source) };
  if (part.type === 'document')
    return part.title === undefined
      ? { type: 'document', source: documentSource(part.source, field, provider) }
      : { type: 'document', source: documentSource(part.source, field, provider), title: part.title };
  return invalidRequest(provider, `${field}.type`, `"${part.type}" is not allowed here`);
}

/** A tool call's `arguments` (JSON text) as the object Anthropic takes as `input`. */
function toolInput(text: string, field: string, provider: string): Record<string, unknown> {
  let input: unknown;
  try {
    input = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    // reported below
  }
  return input && typeof input === 'object' && !Array.isArray(input)
    ? (input as Record<string, unknown>)
    : invalidRequest(provider, field, 'must be a JSON object');
}

/**
 * Converts resolved chat messages (already validated by core) to a Messages API prompt:
 * - system messages → the top-level `system`, one text block per text part, in order, wherever they stood (a single
 *   block without a breakpoint goes out as a plain string);
 * - user messages → text, `image` and `document` blocks (base64 or URL; a `text/plain` document as its text);
 * - assistant messages → `thinking` / `redacted_thinking` blocks replayed from reasoning parts with a signature,
 *   text, then a `tool_use` block per tool call;
 * - tool messages → `tool_result` blocks in a user turn; consecutive turns of the same role are merged, so a run of
 *   tool results (and a user message after them) is one user turn.
 * `cacheFor` puts `cache_control` on a message's last block or on one of its parts. Input Anthropic cannot take
 * throws `KitError('invalid_request')` naming the field.
 */
export function convertToAnthropicMessages(
  messages: readonly ChatMessage[],
  provider: string,
  cacheFor: CacheControlLookup = () => undefined,
): AnthropicPrompt {
  const system: AnthropicTextBlock[] = [];
  const turns: { role: 'user' | 'assistant'; content: AnthropicContentBlock[] }[] = [];

  messages.forEach(({ role, content, toolCalls, toolCallId }, index) => {
    const field = `messages[${index}]`;
    const parts: ContentPart[] = typeof content === 'string' ? [{ type: 'text', text: content }] : content;
    const blocks: AnthropicContentBlock[] = [];
    const add = (block: AnthropicContentBlock, part?: number) => {
      const cacheControl = part === undefined ? undefined : cacheFor(index, part);
      blocks.push(cacheControl ? { ...block, cache_control: cacheControl } : block);
    };
    if (role === 'system') {
      // Each text part is its own block: parts are never glued together. The API rejects empty text blocks.
      parts.forEach((part, partIndex) => {
        if (part.type !== 'text') invalidRequest(provider, `${field}.content[${partIndex}].type`, `"${part.type}" is not allowed here`);
        else if (part.text !== '') add({ type: 'text', text: part.text }, partIndex);
      });
    } else if (role === 'tool') {
      // Tool results take text, images and documents; the whole message is one block.
      const resultContent =
        typeof content === 'string' ? content : content.map((part, partIndex) => userBlock(part, `${field}.content[${partIndex}]`, provider));
      add(
        { type: 'tool_result', tool_use_id: toolCallId as string, content: resultContent },
        parts.findIndex((_, partIndex) => cacheFor(index, partIndex)),
      );
    } else if (role === 'user') {
      parts.forEach((part, partIndex) => {
        if (part.type !== 'text' || part.text !== '' || parts.length === 1) add(userBlock(part, `${field}.content[${partIndex}]`, provider), partIndex);
      });
    } else {
      parts.forEach((part, partIndex) => {
        if (part.type === 'reasoning') for (const block of reasoningBlocks(part)) add(block);
        else if (part.type !== 'text') invalidRequest(provider, `${field}.content[${partIndex}].type`, `"${part.type}" is not allowed here`);
        // The API rejects empty text blocks.
        else if (part.text !== '') add(part, partIndex);
      });
      toolCalls?.forEach(({ id, name, arguments: args }, callIndex) => {
        add({ type: 'tool_use', id, name, input: toolInput(args, `${field}.toolCalls[${callIndex}].arguments`, provider) });
      });
      if (blocks.length === 0) return; // nothing to replay (e.g. unsigned reasoning only)
    }

    const whole = cacheFor(index);
    const last = blocks[blocks.length - 1];
    if (whole && last) blocks[blocks.length - 1] = { ...last, cache_control: whole };
    if (role === 'system') {
      system.push(...(blocks as AnthropicTextBlock[]));
      return;
    }
    const wireRole = role === 'assistant' ? 'assistant' : 'user';
    const previous = turns[turns.length - 1];
    if (previous?.role === wireRole) previous.content.push(...blocks);
    else turns.push({ role: wireRole, content: blocks });
  });

  const prompt: AnthropicPrompt = {
    // One text block without a breakpoint goes out as a plain string.
    messages: turns.map(({ role, content }) => ({
      role,
      content: content.length === 1 && content[0]?.type === 'text' && !content[0].cache_control ? content[0].text : content,
    })),
  };
  if (system.length > 0) prompt.system = system.length === 1 && !system[0]?.cache_control ? system[0]?.text : system;
  return prompt;
}
