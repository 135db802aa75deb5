import type { GenerateOptions, JSONSchema, ToolChoice, ToolDefinition } from '@kit/core';
import type { LanguageModelV4CallOptions, LanguageModelV4ToolChoice, SharedV4Warning } from '@ai-sdk/provider';
import { convertToKitMessages } from './convert-to-kit-messages';

/** @kit call options built from an AI SDK call, and what of the call @kit does not support. */
export interface ConvertedCallOptions {
  options: GenerateOptions;
  warnings: SharedV4Warning[];
}

/**
 * Call options @kit itself takes from `providerOptions.kit`: the engine's per-call bounds and metadata for events.
 * Anything else there is left out, with a warning.
 */
const kitCallOptionNames = ['timeoutMs', 'deadlineMs', 'maxRetries', 'metadata'] as const;

/** A JSON Schema as @kit takes it: a plain object literal (the AI SDK may hand over frozen or class-made objects). */
function plainSchema(schema: unknown): JSONSchema {
  return JSON.parse(JSON.stringify(schema ?? { type: 'object', properties: {} })) as JSONSchema;
}

function toolChoiceOf(choice: LanguageModelV4ToolChoice): ToolChoice {
  return choice.type === 'tool' ? { name: choice.toolName } : choice.type;
}

/**
 * Maps AI SDK call options (specification v4) to @kit `GenerateOptions`: the prompt (see `convertToKitMessages`),
 * function tools (`inputSchema` is the JSON Schema of `parameters`), `toolChoice`, `responseFormat` (JSON, with a
 * schema when given), `maxOutputTokens` → `maxTokens`, `temperature`, `topP`, `stopSequences` → `stop`, `seed`,
 * `abortSignal` → `signal`, `headers`, and `providerOptions[providerType]` passed on as that provider's options.
 * `providerOptions.kit` may set @kit's `timeoutMs`, `deadlineMs`, `maxRetries` and `metadata` for the call.
 * Settings @kit has no place for (`topK`, penalties, `reasoning` effort, provider-defined tools) become warnings.
 */
export function convertCallOptions(call: LanguageModelV4CallOptions, providerType: string, stream: boolean): ConvertedCallOptions {
  const { messages, warnings } = convertToKitMessages(call.prompt);
  const options: GenerateOptions = { messages, stream };
  const unsupported = (feature: string, details?: string) =>
    warnings.push(details === undefined ? { type: 'unsupported', feature } : { type: 'unsupported', feature, details });

  if (call.maxOutputTokens !== undefined) options.maxTokens = call.maxOutputTokens;
  if (call.temperature !== undefined) options.temperature = call.temperature;
  if (call.topP !== undefined) options.topP = call.topP;
  if (call.stopSequences !== undefined && call.stopSequences.length > 0) options.stop = call.stopSequences;
  if (call.seed !== undefined) options.seed = call.seed;
  if (call.topK !== undefined) unsupported('topK');
  if (call.presencePenalty !== undefined) unsupported('presencePenalty');
  if (call.frequencyPenalty !== undefined) unsupported('frequencyPenalty');
  if (call.reasoning !== undefined && call.reasoning !== 'provider-default') {
    unsupported('reasoning', `set reasoning through providerOptions.${providerType} (the @kit provider's own options)`);
  }

  if (call.responseFormat?.type === 'json') {
    const { schema, name } = call.responseFormat;
    options.responseFormat =
      schema === undefined
        ? { type: 'json' }
        : name === undefined
          ? { type: 'json-schema', schema: plainSchema(schema) }
          : { type: 'json-schema', schema: plainSchema(schema), name };
  }

  const tools: ToolDefinition[] = [];
  for (const tool of call.tools ?? []) {
    if (tool.type === 'provider') {
      unsupported(`provider-defined tool ${tool.id}`, 'a @kit provider runs function tools only');
      continue;
    }
    const definition: ToolDefinition = { name: tool.name, parameters: plainSchema(tool.inputSchema) };
    if (tool.description !== undefined) definition.description = tool.description;
    tools.push(definition);
  }
  if (tools.length > 0) {
    options.tools = tools;
    if (call.toolChoice !== undefined) options.toolChoice = toolChoiceOf(call.toolChoice);
  }

  if (call.abortSignal !== undefined) options.signal = call.abortSignal;
  if (call.headers !== undefined) {
    const headers = Object.fromEntries(Object.entries(call.headers).filter((entry): entry is [string, string] => entry[1] !== undefined));
    if (Object.keys(headers).length > 0) options.headers = headers;
  }

  const ownOptions = call.providerOptions?.[providerType];
  if (ownOptions !== undefined) options.providerOptions = { [providerType]: ownOptions as Record<string, unknown> };
  const kitOptions = call.providerOptions?.kit;
  if (kitOptions !== undefined) {
    for (const [name, value] of Object.entries(kitOptions)) {
      if (value === undefined) continue;
      if (!(kitCallOptionNames as readonly string[]).includes(name)) {
        unsupported(`providerOptions.kit.${name}`, `@kit takes ${kitCallOptionNames.join(', ')} there`);
        continue;
      }
      Object.assign(options, { [name]: value });
    }
  }
  return { options, warnings };
}
