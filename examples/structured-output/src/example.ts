import { KitError, type ChatMessage, type Provider, type ToolCall, type ToolDefinition } from '@kit/core';
import type { KeyHealth, KeyManager } from '@kit/keymanager';
import { tripSchema, weatherInputSchema } from './schemas';
import { weatherForecast } from './weather-forecast';

export interface ExampleOptions {
  /** An OpenAI provider over the key pool. */
  openai: Provider;
  /** The pool behind `openai`: its health is printed at the end. */
  keys: KeyManager;
  /** A provider whose model answers JSON that does not match the schema (a local upstream, in both modes). */
  sloppy: Provider;
  write: (text: string) => void;
  /** Keeps real-API runs cheap. */
  maxTokens?: number;
}

const tripPrompt =
  'Plan a trip from this note: "Three days in Lisbon, Portugal. I love tiles, trams and pastries." ' +
  'Answer with the city, its country, the number of days and three highlights.';

/** `parameters` is the zod schema itself: @kit sends it as JSON Schema and validates every call's arguments with it. */
const weatherTool: ToolDefinition = {
  name: 'get_weather',
  description: 'The weather forecast of a city, day by day',
  parameters: weatherInputSchema,
};

/** The longest tool conversation the example allows before giving up. */
const maxToolSteps = 4;

/**
 * Runs the example's steps through `openai` (structured output, a tool round trip) and `sloppy` (an answer that does
 * not match the schema), then prints what each key of the pool went through. Resolves with how many steps went as
 * expected out of how many were run.
 */
export async function runExample({ openai, keys, sloppy, write, maxTokens = 300 }: ExampleOptions): Promise<{ succeeded: number; steps: number }> {
  let succeeded = 0;
  let steps = 0;
  const step = async (label: string, run: () => Promise<string>) => {
    steps += 1;
    try {
      write(`${label}: ${await run()}\n`);
      succeeded += 1;
    } catch (error) {
      write(`${label}: FAILED (${KitError.is(error) ? `${error.code}: ` : ''}${(error as Error).message})\n`);
    }
  };

  write('1. Structured output: responseFormat.schema is a zod schema, completion.object is typed by it.\n');
  await step('object', async () => {
    const completion = await openai.complete({
      prompt: tripPrompt,
      responseFormat: { type: 'json-schema', name: 'trip', schema: tripSchema, strict: true },
      maxTokens,
    });
    // `completion.object` is `{ city: string; country: string; days: number; highlights: string[] }`: no cast.
    const trip = completion.object;
    write(`object: ${trip.city}, ${trip.country}: ${trip.days} days (${trip.days * 24} hours)\n`);
    for (const [index, highlight] of trip.highlights.entries()) write(`object:   ${index + 1}. ${highlight}\n`);
    return `validated by tripSchema, answered by ${completion.credentialId}`;
  });

  write('\n2. A mismatch: a model that answers "days": "three" makes the call fail with invalid_response.\n');
  await step('mismatch', async () => {
    try {
      const completion = await sloppy.complete({ prompt: tripPrompt, responseFormat: { type: 'json-schema', name: 'trip', schema: tripSchema }, maxTokens });
      throw new Error(`the answer was accepted: ${JSON.stringify(completion.object)}`);
    } catch (error) {
      if (!(error instanceof KitError) || error.code !== 'invalid_response') throw error;
      // The message names the failing path; the answer itself is not quoted (it may hold user data).
      return `KitError ${error.code}: ${error.message}`;
    }
  });

  write('\n3. A tool round trip: parameters is a zod schema, toolCall.input is validated by it.\n');
  await step('tools', async () => {
    const messages: ChatMessage[] = [{ role: 'user', content: 'What will the weather be in Lisbon today and tomorrow? Use the tool.' }];
    for (let turn = 1; turn <= maxToolSteps; turn += 1) {
      const completion = await openai.complete({ messages, tools: [weatherTool], maxTokens });
      // The assistant message keeps each call's `input` / `inputError`; providers receive `arguments` only.
      messages.push(completion.message);
      if (completion.toolCalls.length === 0) return `the model answers: ${completion.text.trim()}`;
      for (const call of completion.toolCalls) {
        write(`tools: the model calls ${call.name}(${call.arguments})\n`);
        messages.push({ role: 'tool', toolCallId: call.id, content: runTool(call, write) });
      }
    }
    throw new Error(`no answer after ${maxToolSteps} turns`);
  });

  write('\n4. The key pool (the object and tool calls went through it):\n');
  for (const key of keys.getKeyHealth()) {
    write(
      `  ${key.id.padEnd(12)} ${key.healthy && !refusedByProvider(key) ? 'healthy' : 'unhealthy'}, ${key.available ? 'available' : 'benched  '} requests=${key.requests} successes=${key.successes} failures=${key.failures}${key.lastErrorCode ? ` last error=${key.lastErrorCode}` : ''}\n`,
    );
  }
  write(`\n${succeeded}/${steps} steps went as expected.\n`);
  return { succeeded, steps };
}

/**
 * Runs one tool call and returns the tool message's content. A call the schema refused is not run: what was wrong
 * goes back to the model as the result, and it usually corrects itself on the next turn.
 */
function runTool(call: ToolCall, write: (text: string) => void): string {
  if (call.name !== weatherTool.name) return `Unknown tool: ${call.name}`;
  if (call.inputError) {
    write(`tools:   refused by the schema, sent back to the model: ${call.inputError.message}\n`);
    return `Invalid arguments: ${call.inputError.message}`;
  }
  // `input` is typed `unknown`. It was validated already (with `unit`'s default applied); parsing it again with the
  // same schema narrows its type without a cast (`call.input as WeatherInput` would do as well).
  const input = weatherInputSchema.parse(call.input);
  write(`tools:   input: city=${input.city} days=${input.days} unit=${input.unit}\n`);
  return JSON.stringify(weatherForecast(input));
}

/** The provider refused the key (revoked, no permission) since its last success: not healthy, whatever the count. */
function refusedByProvider(key: KeyHealth): boolean {
  return key.consecutiveFailures > 0 && (key.lastErrorCode === 'authentication' || key.lastErrorCode === 'permission');
}
