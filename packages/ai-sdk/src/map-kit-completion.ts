import type { ChatCompletion } from '@kit/core';
import type { LanguageModelV4Content } from '@ai-sdk/provider';

/**
 * The content of a @kit completion as AI SDK content parts, in the order the model produced them: reasoning blocks
 * (a signed one carries `providerMetadata.kit.signature`, which the AI SDK sends back with the history so the
 * provider can verify it), the text, then one `tool-call` part per call (`input` is the JSON text; empty arguments
 * are `{}`).
 */
export function mapKitCompletionContent(completion: ChatCompletion): LanguageModelV4Content[] {
  const content: LanguageModelV4Content[] = [];
  const { content: parts } = completion.message;
  if (typeof parts === 'string') {
    if (parts !== '') content.push({ type: 'text', text: parts });
  } else {
    for (const part of parts) {
      if (part.type === 'text' && part.text !== '') content.push({ type: 'text', text: part.text });
      else if (part.type === 'reasoning') {
        content.push(
          part.signature === undefined
            ? { type: 'reasoning', text: part.text }
            : { type: 'reasoning', text: part.text, providerMetadata: { kit: { signature: part.signature } } },
        );
      }
    }
  }
  for (const call of completion.toolCalls) {
    content.push({ type: 'tool-call', toolCallId: call.id, toolName: call.name, input: call.arguments.trim() === '' ? '{}' : call.arguments });
  }
  return content;
}
