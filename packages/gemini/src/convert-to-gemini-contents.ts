import { KitError, type ChatMessage, type ContentPart, type MediaSource } from '@kit/core';
import { isSyntheticCallId } from './gemini-call-id';

/** One part of a Gemini `Content` (request side). */
export type GeminiPart = Record<string, unknown>;

/** A Gemini `Content`: a role (`user` or `model`) and its parts. */
export interface GeminiContent {
  role: 'user' | 'model';
  parts: GeminiPart[];
}

export interface GeminiPrompt {
  contents: GeminiContent[];
  systemInstruction?: { parts: { text: string }[] };
}

const invalid = (provider: string, field: string, problem: string): never => {
  throw new KitError('invalid_request', `${provider}: ${field}: ${problem}`, { provider });
};

/**
 * An image, document or audio part: base64 (and `data:` URLs) as `inlineData`, other URLs as `fileData`
 * (a Files API URI, a YouTube or public URL). A document without a media type is taken for a PDF.
 */
function mediaPart(source: MediaSource, defaultMimeType?: string): GeminiPart {
  if (source.type === 'base64') return { inlineData: { mimeType: source.mediaType, data: source.data } };
  const dataUrl = /^data:([^;,]+);base64,/.exec(source.url);
  if (dataUrl) return { inlineData: { mimeType: dataUrl[1], data: source.url.slice(dataUrl[0].length) } };
  const mimeType = source.mediaType ?? defaultMimeType;
  return { fileData: mimeType ? { mimeType, fileUri: source.url } : { fileUri: source.url } };
}

/** User-side parts: text, images, documents, audio (reasoning parts are the model's and are not sent from a user). */
function userParts(content: string | ContentPart[]): GeminiPart[] {
  if (typeof content === 'string') return content === '' ? [] : [{ text: content }];
  return content.flatMap((part): GeminiPart[] =>
    part.type === 'text'
      ? [{ text: part.text }]
      : part.type === 'image' || part.type === 'audio'
        ? [mediaPart(part.source)]
        : part.type === 'document'
          ? [mediaPart(part.source, 'application/pdf')]
          : [],
  );
}

/** The JSON object a tool result is sent as: an object stays itself; anything else becomes `{ result }`. */
function functionResponse(text: string): Record<string, unknown> {
  let value: unknown = text;
  try {
    value = JSON.parse(text);
  } catch {
    // plain text
  }
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : { result: value };
}

/**
 * An assistant message as the model's parts: thought parts (`thought: true`), text, `functionCall`s. The message's
 * reasoning `signature` (Gemini's `thoughtSignature`) goes back where Gemini put it: on the first function call
 * when the message has tool calls, else on its last part.
 */
function modelParts(message: ChatMessage, index: number, provider: string): GeminiPart[] {
  const parts: GeminiPart[] = [];
  let signature: string | undefined;
  for (const part of typeof message.content === 'string' ? [{ type: 'text' as const, text: message.content }] : message.content) {
    if (part.type === 'reasoning') {
      signature = part.signature || signature;
      if (part.text) parts.push({ text: part.text, thought: true });
    } else if (part.type !== 'text') parts.push(...userParts([part]));
    else if (part.text) parts.push({ text: part.text });
  }
  const calls = (message.toolCalls ?? []).map(({ id, name, arguments: text }, position) => {
    let args: unknown;
    try {
      args = JSON.parse(text || '{}');
    } catch {
      // reported below
    }
    if (!args || typeof args !== 'object' || Array.isArray(args)) {
      invalid(provider, `messages[${index}].toolCalls[${position}].arguments`, 'must be the JSON text of an object');
    }
    return { functionCall: isSyntheticCallId(id) ? { name, args } : { id, name, args } } as GeminiPart;
  });
  const carrier = calls[0] ?? parts[parts.length - 1];
  if (signature) {
    if (carrier) carrier.thoughtSignature = signature;
    else parts.push({ text: '', thoughtSignature: signature });
  }
  return [...parts, ...calls];
}

/** The name of the function whose call `id` a tool result answers: from the nearest assistant message before it. */
function functionNameFor(messages: readonly ChatMessage[], index: number, provider: string): string {
  const message = messages[index] as ChatMessage;
  for (let earlier = index - 1; earlier >= 0; earlier -= 1) {
    const call = messages[earlier]?.toolCalls?.find((candidate) => candidate.id === message.toolCallId);
    if (call) return call.name;
  }
  return (
    message.name || invalid(provider, `messages[${index}].toolCallId`, `no assistant tool call with id "${message.toolCallId}" comes before this tool result`)
  );
}

/**
 * `ChatMessage[]` → Gemini's `contents` and `systemInstruction`. Roles become `user` / `model`; system messages
 * (wherever they are) join `systemInstruction`; a tool result becomes a `functionResponse` part of a user turn,
 * named after the assistant tool call it answers; consecutive turns of one role are merged (parallel calls'
 * results travel together, as Gemini expects).
 */
export function convertToGeminiContents(messages: readonly ChatMessage[], provider: string): GeminiPrompt {
  const system: { text: string }[] = [];
  const contents: GeminiContent[] = [];
  messages.forEach((message, index) => {
    let role: GeminiContent['role'] = 'user';
    let parts: GeminiPart[];
    if (message.role === 'system') {
      for (const part of userParts(message.content)) if (typeof part.text === 'string') system.push({ text: part.text });
      return;
    }
    if (message.role === 'assistant') {
      role = 'model';
      parts = modelParts(message, index, provider);
    } else if (message.role === 'tool') {
      const content = message.content;
      const text = typeof content === 'string' ? content : content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
      const id = message.toolCallId as string;
      const name = functionNameFor(messages, index, provider);
      const response = functionResponse(text);
      parts = [
        { functionResponse: isSyntheticCallId(id) ? { name, response } : { id, name, response } },
        ...(typeof content === 'string' ? [] : userParts(content.filter((part) => part.type !== 'text'))),
      ];
    } else {
      parts = userParts(message.content);
    }
    if (parts.length === 0) return;
    const previous = contents[contents.length - 1];
    if (previous?.role === role) previous.parts.push(...parts);
    else contents.push({ role, parts });
  });
  return system.length > 0 ? { contents, systemInstruction: { parts: system } } : { contents };
}
