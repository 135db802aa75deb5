// A tool round trip: the model calls a tool (arguments streamed in pieces), the app runs it and sends the result
// back; the upstream answers from the tool result it received.
import type { ChatMessage, ToolDefinition } from '@kit/core';
import { createOpenAI } from '@kit/openai';
import { expectEqual } from './expect-that';
import type { MatrixConfig } from './matrix-config';
import { WEATHER_CALL } from './scripted-answers';

const weatherTool: ToolDefinition = {
  name: WEATHER_CALL.name,
  description: 'The current weather of a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

/** `tool-round-trip`: streamed tool call → tool result → streamed answer built from that result. */
export async function toolRoundTrip(config: MatrixConfig): Promise<void> {
  const provider = createOpenAI({ baseURL: config.upstreams['tool-round-trip'], apiKey: 'test-key-tools' });
  const messages: ChatMessage[] = [{ role: 'user', content: 'What is the weather in Paris?' }];
  const call = await (await provider.generateChatCompletion({ messages, tools: [weatherTool] })).final();
  expectEqual(call.finishReason, 'tool-calls', 'finish reason of the first turn');
  expectEqual(
    call.toolCalls.map(({ id, name, arguments: args }) => ({ id, name, arguments: args })),
    [WEATHER_CALL],
    'tool calls',
  );
  const [toolCall] = call.toolCalls;
  const city = (JSON.parse(toolCall?.arguments ?? '{}') as { city?: string }).city;
  messages.push(call.message, { role: 'tool', toolCallId: toolCall?.id ?? '', content: JSON.stringify({ city, temperatureC: 18 }) });
  const answer = await (await provider.generateChatCompletion({ messages, tools: [weatherTool] })).final();
  expectEqual(answer.finishReason, 'stop', 'finish reason of the second turn');
  expectEqual(answer.text, 'It is 18 °C in Paris.', 'answer built from the tool result');
}
