import type { ChatMessage, ContentPart, MediaSource, ToolCall } from '@kit/core';
import {
  UnsupportedFunctionalityError,
  type LanguageModelV4FilePart,
  type LanguageModelV4Prompt,
  type LanguageModelV4ToolResultOutput,
  type SharedV4ProviderOptions,
  type SharedV4Warning,
} from '@ai-sdk/provider';
import { bytesToBase64, textToBase64 } from './bytes-to-base64';

/** The messages of one call, and what of the prompt could not be sent. */
export interface ConvertedPrompt {
  messages: ChatMessage[];
  warnings: SharedV4Warning[];
}

type FileData = LanguageModelV4FilePart['data'];

/**
 * The signature of a reasoning part, as the AI SDK hands it back: the `providerMetadata` @kit put on the reasoning
 * (`kit.signature`) returns as the part's `providerOptions`. A part that came from another provider package may carry
 * it under `anthropic.signature`.
 */
export function reasoningSignatureOf(providerOptions: SharedV4ProviderOptions | undefined): string | undefined {
  for (const key of ['kit', 'anthropic']) {
    const signature = providerOptions?.[key]?.signature;
    if (typeof signature === 'string' && signature !== '') return signature;
  }
  return undefined;
}

/** A file part's bytes or URL as a @kit media source; `mediaType` must name a subtype for inline bytes. */
function mediaSourceOf(data: FileData, mediaType: string): MediaSource {
  const fullMediaType = mediaType.includes('/') && !mediaType.endsWith('/*') ? mediaType : undefined;
  if (data.type === 'url') {
    const url = data.originalUrl ?? data.url.toString();
    return fullMediaType === undefined ? { type: 'url', url } : { type: 'url', url, mediaType: fullMediaType };
  }
  if (fullMediaType === undefined) {
    throw new UnsupportedFunctionalityError({
      functionality: `file parts with the media type "${mediaType}" (inline data needs a full media type such as image/png)`,
    });
  }
  if (data.type === 'data') return { type: 'base64', mediaType: fullMediaType, data: bytesToBase64(data.data) };
  if (data.type === 'text') return { type: 'base64', mediaType: fullMediaType, data: textToBase64(data.text) };
  throw new UnsupportedFunctionalityError({ functionality: 'file parts given as provider references (upload the bytes or give a URL)' });
}

/** A file part as a @kit content part: images, audio, and every other media type as a document (PDF, text…). */
export function filePartToContentPart(part: { data: FileData; mediaType: string; filename?: string | undefined }): ContentPart {
  const source = mediaSourceOf(part.data, part.mediaType);
  if (part.mediaType.startsWith('image')) return { type: 'image', source };
  if (part.mediaType.startsWith('audio')) return { type: 'audio', source };
  return part.filename === undefined ? { type: 'document', source } : { type: 'document', source, title: part.filename };
}

/** A tool's output as the content of a @kit `tool` message: text, JSON text, or text and file parts. */
export function toolOutputToContent(output: LanguageModelV4ToolResultOutput): string | ContentPart[] {
  switch (output.type) {
    case 'text':
    case 'error-text':
      return output.value;
    case 'json':
    case 'error-json':
      return JSON.stringify(output.value);
    case 'execution-denied':
      return output.reason === undefined ? 'Tool execution denied.' : `Tool execution denied: ${output.reason}`;
    case 'content':
      return output.value.map((item): ContentPart => {
        if (item.type === 'text') return { type: 'text', text: item.text };
        if (item.type === 'file') return filePartToContentPart(item);
        throw new UnsupportedFunctionalityError({ functionality: 'custom parts in tool results' });
      });
  }
}

/** Text parts alone become a plain string (what every provider takes); anything else stays a list of parts. */
function compactContent(parts: ContentPart[]): string | ContentPart[] {
  return parts.every((part) => part.type === 'text') ? parts.map((part) => (part as { text: string }).text).join('') : parts;
}

/**
 * Converts an AI SDK prompt (specification v4) to \@kit chat messages:
 * - `system` → a system message;
 * - `user` → text, and files as `image` / `audio` / `document` parts (inline bytes as base64, or a URL);
 * - `assistant` → text, reasoning parts (with the signature the AI SDK returns as `providerOptions.kit.signature`),
 *   and `tool-call` parts as `toolCalls` (`input` serialised to the JSON text \@kit sends);
 * - `tool` → one `tool` message per result, with `toolCallId` and the tool name.
 * Provider-executed tool results and approval responses belong to provider tools, which \@kit does not run: they are
 * left out with a warning. Input \@kit cannot carry (provider file references, custom parts) throws
 * `UnsupportedFunctionalityError`.
 */
export function convertToKitMessages(prompt: LanguageModelV4Prompt): ConvertedPrompt {
  const messages: ChatMessage[] = [];
  const warnings: SharedV4Warning[] = [];
  const leaveOut = (feature: string) => {
    if (!warnings.some((warning) => warning.type === 'unsupported' && warning.feature === feature)) {
      warnings.push({ type: 'unsupported', feature, details: 'left out of the prompt: @kit providers do not run provider-executed tools' });
    }
  };

  for (const message of prompt) {
    switch (message.role) {
      case 'system':
        messages.push({ role: 'system', content: message.content });
        break;
      case 'user':
        messages.push({
          role: 'user',
          content: compactContent(message.content.map((part) => (part.type === 'text' ? { type: 'text', text: part.text } : filePartToContentPart(part)))),
        });
        break;
      case 'assistant': {
        const parts: ContentPart[] = [];
        const toolCalls: ToolCall[] = [];
        for (const part of message.content) {
          if (part.type === 'text') parts.push({ type: 'text', text: part.text });
          else if (part.type === 'reasoning') {
            const signature = reasoningSignatureOf(part.providerOptions);
            parts.push(signature === undefined ? { type: 'reasoning', text: part.text } : { type: 'reasoning', text: part.text, signature });
          } else if (part.type === 'file') parts.push(filePartToContentPart(part));
          else if (part.type === 'tool-call') {
            if (part.providerExecuted) leaveOut('provider-executed tool calls');
            else toolCalls.push({ id: part.toolCallId, name: part.toolName, arguments: JSON.stringify(part.input ?? {}) });
          } else if (part.type === 'tool-result') leaveOut('provider-executed tool results');
          else throw new UnsupportedFunctionalityError({ functionality: `assistant parts of type "${part.type}"` });
        }
        const assistant: ChatMessage = { role: 'assistant', content: compactContent(parts) };
        if (toolCalls.length > 0) assistant.toolCalls = toolCalls;
        messages.push(assistant);
        break;
      }
      case 'tool':
        for (const part of message.content) {
          if (part.type === 'tool-approval-response') leaveOut('tool approval responses');
          else messages.push({ role: 'tool', toolCallId: part.toolCallId, name: part.toolName, content: toolOutputToContent(part.output) });
        }
        break;
    }
  }
  return { messages, warnings };
}
