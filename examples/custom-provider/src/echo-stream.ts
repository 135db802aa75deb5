import type { FinishReason, Usage } from '@kit/core';
import { createUpstreamError, parseStreamChunk, ToolCallAccumulator, type EmitEvent, type RequestContext, type StreamMapper } from '@kit/core/provider-utils';
import { echoProblem, refineEchoError } from './echo-errors';

// Echo streams NDJSON, one object per line, `kind` first:
//   {"kind":"open","reply":"echo-7","model":"echo-small"}
//   {"kind":"say","text":"Hel"}
//   {"kind":"call","n":0,"ref":"call_1","fn":"get_weather","argsPart":"{\"city\":"}   ref and fn on a call's first line only
//   {"kind":"close","outcome":"complete","meter":{"prompt":17,"reply":5}}
//   {"kind":"oops","problem":{"type":"busy","text":"…"}}                               an error after the stream began

type Line = Record<string, unknown>;

const outcomes: Record<string, FinishReason> = { complete: 'stop', truncated: 'length', blocked: 'content-filter', calls: 'tool-calls' };

const isRecord = (value: unknown): value is Line => typeof value === 'object' && value !== null && !Array.isArray(value);
const count = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/** Echo's `meter` as `Usage`. */
export function echoUsage(meter: unknown): Usage {
  const counts = isRecord(meter) ? meter : {};
  const inputTokens = count(counts.prompt);
  const outputTokens = count(counts.reply);
  return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
}

/** Echo's `outcome` as a `FinishReason` (a word it adds later is `other`). */
export function echoFinishReason(outcome: unknown): FinishReason {
  return (typeof outcome === 'string' && outcomes[outcome]) || 'other';
}

/** An error Echo reports in a 200 answer (inside a stream, or as the whole body): classified like an HTTP error. */
function echoErrorInAnswer(body: unknown, context: RequestContext) {
  return createUpstreamError(
    { status: 500, body, headers: new Headers() },
    { provider: context.provider, credentialId: context.credential.id, refine: refineEchoError },
  );
}

/** Echo's NDJSON lines → `StreamEvent`s. One mapper per stream: it holds the tool calls being assembled. */
export function createEchoStreamMapper(context: RequestContext): StreamMapper {
  const calls = new ToolCallAccumulator();
  let close: Line | undefined;
  return {
    push({ data }, emit) {
      const line = parseStreamChunk(data, context);
      if (!isRecord(line)) return;
      switch (line.kind) {
        case 'open':
          emit({ type: 'start', id: String(line.reply), model: String(line.model ?? context.model) });
          return;
        case 'say':
          if (typeof line.text === 'string' && line.text !== '') emit({ type: 'text-delta', text: line.text });
          return;
        case 'call': {
          const piece: { id?: string; name?: string; argumentsDelta: string } = { argumentsDelta: typeof line.argsPart === 'string' ? line.argsPart : '' };
          if (typeof line.ref === 'string') piece.id = line.ref;
          if (typeof line.fn === 'string') piece.name = line.fn;
          calls.add(count(line.n), piece, emit);
          return;
        }
        case 'close':
          close = line;
          return;
        case 'oops':
          throw echoErrorInAnswer(line, context);
        default:
        // A kind Echo adds later: ignored.
      }
    },
    end(emit: EmitEvent) {
      // No `close` line: the stream was cut; core turns a stream without `finish` into `invalid_response`.
      if (!close) return;
      calls.flush(emit);
      emit({ type: 'finish', finishReason: echoFinishReason(close.outcome), usage: echoUsage(close.meter) });
    },
  };
}

/** A non-streaming answer replayed as the events a stream gives. */
export function parseEchoResponse(body: unknown, context: RequestContext, emit: EmitEvent): void {
  if (!isRecord(body) || echoProblem(body)) throw echoErrorInAnswer(body, context);
  emit({ type: 'start', id: String(body.reply), model: String(body.model ?? context.model) });
  if (typeof body.text === 'string' && body.text !== '') emit({ type: 'text-delta', text: body.text });
  const calls = Array.isArray(body.calls) ? body.calls.filter(isRecord) : [];
  calls.forEach((call, index) => {
    const args = typeof call.args === 'string' && call.args.trim() !== '' ? call.args : '{}';
    emit({ type: 'tool-call', toolCall: { id: typeof call.ref === 'string' ? call.ref : `call_${index}`, name: String(call.fn), arguments: args } });
  });
  emit({ type: 'finish', finishReason: echoFinishReason(body.outcome), usage: echoUsage(body.meter) });
}
