import type { ToolCall } from './chat-message';
import type { StandardSchemaResult, StandardSchemaV1 } from './standard-schema';
import { formatIssues } from './validate';
import { whenSettled } from './is-promise';
import { isRecord } from './is-record';

function withResult(toolCall: ToolCall, input: unknown, result: StandardSchemaResult<unknown>): ToolCall {
  if (result.issues) return { ...toolCall, input, inputError: { message: formatIssues(result.issues, 'input'), issues: result.issues } };
  return { ...toolCall, input: result.value };
}

function withThrown(toolCall: ToolCall, input: unknown, error: unknown): ToolCall {
  const reason = error instanceof Error ? error.message : String(error);
  return { ...toolCall, input, inputError: { message: `input: the tool's schema failed while validating (${reason})` } };
}

/**
 * A complete tool call with its arguments parsed: `input` is the JSON value of `arguments`, validated (and possibly
 * transformed) by `schema` when the tool's `parameters` was a Standard Schema. What is wrong is reported on the call
 * as `inputError`, never thrown:
 * - `arguments` is not JSON: `inputError`, no `input`;
 * - not a JSON object (tool arguments always are): `inputError`, `input` the parsed value;
 * - refused by `schema`: `inputError` naming each bad field (`input.city: …`) with the schema's `issues`, `input` the
 *   unvalidated parsed value.
 *
 * Returns a promise (always a native one) only when the schema validates asynchronously (zod with an async
 * refinement, or any thenable).
 * Pure: the given call is not changed.
 */
export function parseToolCallInput(given: ToolCall, schema?: StandardSchemaV1): ToolCall | Promise<ToolCall> {
  const { input: _previousInput, inputError: _previousError, ...toolCall } = given;
  let input: unknown;
  try {
    input = JSON.parse(toolCall.arguments);
  } catch {
    // V8's message quotes the text: the model's text is not repeated in an error.
    return { ...toolCall, inputError: { message: 'arguments: not valid JSON' } };
  }
  if (!isRecord(input)) return { ...toolCall, input, inputError: { message: 'arguments: must be a JSON object' } };
  if (!schema) return { ...toolCall, input };
  let result: StandardSchemaResult<unknown> | Promise<StandardSchemaResult<unknown>>;
  try {
    result = schema['~standard'].validate(input);
  } catch (error) {
    return withThrown(toolCall, input, error);
  }
  return whenSettled(
    result,
    (settled) => withResult(toolCall, input, settled),
    (error) => withThrown(toolCall, input, error),
  );
}
