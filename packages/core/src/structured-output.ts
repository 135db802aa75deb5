import type { FinishReason } from './chat-completion';
import type { ResolvedGenerateOptions } from './generate-options';
import { KitError } from './kit-error';
import type { StandardSchemaResult } from './standard-schema';
import { formatIssues } from './validate';
import { whenSettled } from './is-promise';

/** A whole answer wrapped in one Markdown code fence (some models add one even in JSON mode). */
const fenced = /^\s*```[a-zA-Z]*[ \t]*\r?\n([\s\S]*?)\r?\n?[ \t]*```\s*$/;

function parseJSON(text: string, context: { provider?: string; finishReason?: FinishReason }): unknown {
  const json = fenced.exec(text)?.[1] ?? text;
  const options = context.provider === undefined ? {} : { provider: context.provider };
  if (json.trim() === '') throw new KitError('invalid_response', 'object: the answer is empty, not JSON', options);
  try {
    return JSON.parse(json);
  } catch {
    // V8's message quotes the text: the answer is not repeated in the error.
    const hint = context.finishReason === 'length' ? ' (it was cut off at maxTokens)' : '';
    throw new KitError('invalid_response', `object: the answer is not valid JSON${hint}`, options);
  }
}

function checked(result: StandardSchemaResult<unknown>, provider: string | undefined): unknown {
  if (!result.issues) return result.value;
  throw new KitError(
    'invalid_response',
    `the answer does not match responseFormat.schema: ${formatIssues(result.issues, 'object')}`,
    provider === undefined ? {} : { provider },
  );
}

/**
 * The `ChatCompletion.object` of an answer: `undefined` unless `responseFormat` asked for JSON; the parsed JSON for
 * `{ type: 'json' }` and for a JSON Schema; for a Standard Schema (`outputSchema`), the value it validated (and
 * possibly transformed). An answer wrapped in one Markdown code fence is unwrapped.
 *
 * Throws (or rejects, when the schema validates asynchronously) a `KitError` `invalid_response`: "object: the answer is
 * not valid JSON (it was cut off at maxTokens)", or "the answer does not match responseFormat.schema: object.city: …"
 * naming each failing path. The answer's text is never quoted in the message.
 */
export function parseStructuredOutput(
  text: string,
  options: Pick<ResolvedGenerateOptions, 'responseFormat' | 'outputSchema'>,
  context: { provider?: string; finishReason?: FinishReason } = {},
): unknown {
  const format = options.responseFormat?.type;
  if (format !== 'json' && format !== 'json-schema') return undefined;
  const value = parseJSON(text, context);
  const schema = options.outputSchema;
  if (!schema) return value;
  const result = schema['~standard'].validate(value);
  return whenSettled(result, (settled) => checked(settled, context.provider));
}
