import { KitError, type ChatMessage } from '@kit/core';
import type { RequestContext, ResolvedGenerateOptions, WireRequest } from '@kit/core/provider-utils';

/** One turn of an Echo conversation. */
export interface EchoTurn {
  speaker: 'system' | 'user' | 'bot' | 'tool';
  says: string;
  /** `tool` turns: the call this answers. */
  ref?: string;
  /** `bot` turns: the functions it called. */
  calls?: { ref: string; fn: string; args: string }[];
}

/** The body of `POST /reply`. */
export interface EchoRequestBody {
  model: string;
  turns: EchoTurn[];
  stream: boolean;
  functions?: { name: string; about?: string; params: unknown }[];
  limit?: number;
  temperature?: number;
  stop?: string[];
}

const speakers = { system: 'system', user: 'user', assistant: 'bot', tool: 'tool' } as const;

/** Echo takes text only: a message's text parts joined; any other part is refused, naming it. */
function textOf(message: ChatMessage, index: number, provider: string): string {
  if (typeof message.content === 'string') return message.content;
  return message.content
    .map((part, partIndex) => {
      if (part.type === 'text') return part.text;
      if (part.type === 'reasoning') return '';
      throw new KitError('invalid_request', `messages[${index}].content[${partIndex}]: ${provider} accepts text only, not ${part.type}`, { provider });
    })
    .join('');
}

function toTurn(message: ChatMessage, index: number, provider: string): EchoTurn {
  const turn: EchoTurn = { speaker: speakers[message.role], says: textOf(message, index, provider) };
  if (message.role === 'tool' && message.toolCallId) turn.ref = message.toolCallId;
  if (message.toolCalls?.length) turn.calls = message.toolCalls.map((call) => ({ ref: call.id, fn: call.name, args: call.arguments }));
  return turn;
}

/** The wire request of one call: a pure function of the options. Unset knobs are not sent. */
export function buildEchoRequest(options: ResolvedGenerateOptions, context: RequestContext): WireRequest {
  const body: EchoRequestBody = {
    model: options.model,
    turns: options.messages.map((message, index) => toTurn(message, index, context.provider)),
    stream: options.stream,
  };
  if (options.tools?.length) body.functions = options.tools.map((tool) => ({ name: tool.name, about: tool.description, params: tool.parameters }));
  if (options.maxTokens !== undefined) body.limit = options.maxTokens;
  if (options.temperature !== undefined) body.temperature = options.temperature;
  if (options.stop !== undefined) body.stop = Array.isArray(options.stop) ? options.stop : [options.stop];
  return { path: '/reply', body };
}
