import type { EmitEvent } from './provider-definition';

interface PendingToolCall {
  id: string;
  name: string;
  arguments: string;
}

/**
 * Assembles tool calls whose arguments arrive in pieces, keyed by the wire's `index` (parallel calls interleave).
 * Each piece is emitted as a `tool-call-delta`; `flush` emits one `tool-call` per call, in index order.
 */
export class ToolCallAccumulator {
  #calls = new Map<number, PendingToolCall>();
  #generatedIds = 0;

  /** Adds a piece; `id` and `name` usually come with the first piece of a call only. */
  add(index: number, piece: { id?: string; name?: string; argumentsDelta?: string }, emit: EmitEvent): void {
    let call = this.#calls.get(index);
    if (!call) {
      call = { id: '', name: '', arguments: '' };
      this.#calls.set(index, call);
    }
    if (piece.id) call.id = piece.id;
    // The name comes whole with the first piece; servers that repeat it on later pieces do not change it.
    if (piece.name && !call.name) call.name = piece.name;
    const argumentsDelta = piece.argumentsDelta ?? '';
    call.arguments += argumentsDelta;
    const event: { type: 'tool-call-delta'; index: number; id?: string; name?: string; argumentsDelta: string } = {
      type: 'tool-call-delta',
      index,
      argumentsDelta,
    };
    if (piece.id) event.id = piece.id;
    if (piece.name) event.name = piece.name;
    emit(event);
  }

  /** Whether any call is waiting to be flushed. */
  get size(): number {
    return this.#calls.size;
  }

  /** Emits every pending call as a complete `tool-call` (empty arguments become `{}`) and forgets them. */
  flush(emit: EmitEvent): void {
    const indexes = [...this.#calls.keys()].sort((a, b) => a - b);
    for (const index of indexes) {
      const call = this.#calls.get(index) as PendingToolCall;
      emit({
        type: 'tool-call',
        toolCall: {
          id: call.id || `call_${++this.#generatedIds}`,
          name: call.name,
          arguments: call.arguments.trim() === '' ? '{}' : call.arguments,
        },
      });
    }
    this.#calls.clear();
  }
}
