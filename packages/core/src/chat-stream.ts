import type { ChatCompletion, FinishReason, Usage } from './chat-completion';
import { emptyUsage } from './chat-completion';
import type { ChatMessage, ContentPart, ToolCall } from './chat-message';
import type { ChatStream } from './chat-stream.types';
import { KitError } from './kit-error';
import type { StreamEvent } from './stream-event';
import { isContentEvent } from './stream-event';

/** Where a `ChatStream`'s events come from, and whom it tells how the stream ended. */
export interface ChatStreamSource {
  provider: string;
  model: string;
  credentialId?: string;
  /** Events already read (the engine reads up to the first content event before it resolves). */
  buffered: StreamEvent[];
  /** The rest of the stream; absent for a replayed non-streaming answer. */
  next?: () => Promise<StreamEvent | undefined>;
  /** Turns whatever the read threw into a `KitError`. */
  classify(error: unknown): KitError;
  onFirstContent?(): void;
  onSuccess(result: { usage: Usage; finishReason: FinishReason }): void;
  onError(error: KitError): void;
  /** Closes the connection and clears timers. */
  release(reason: KitError): void;
}

let generatedIds = 0;

/** The `ChatStream` every provider returns: one code path for streaming and non-streaming answers. */
export class KitChatStream implements ChatStream {
  #claimed: 'iterating' | 'collecting' | undefined;
  #started = false;
  #sawContent = false;
  #settled = false;
  #heldFinish: Extract<StreamEvent, { type: 'finish' }> | undefined;
  #text = '';
  /** Thinking blocks: a delta after a signed block starts a new one, so each block replays with its own signature. */
  #reasoningParts: { type: 'reasoning'; text: string; signature?: string }[] = [];
  #toolCalls: ToolCall[] = [];
  #id: string | undefined;
  #model: string;

  readonly #source: ChatStreamSource;

  constructor(source: ChatStreamSource) {
    this.#source = source;
    this.#model = source.model;
  }

  [Symbol.asyncIterator](): AsyncIterator<StreamEvent> {
    this.#claim('iterating');
    return {
      next: async () => {
        const event = await this.#pull();
        return event === undefined ? { done: true, value: undefined } : { done: false, value: event };
      },
      return: async () => {
        this.#abandon();
        return { done: true, value: undefined };
      },
    };
  }

  /** Consumes whatever has not been read yet (all of it, or the rest after a partial iteration) and assembles. */
  async final(): Promise<ChatCompletion> {
    this.#claim('collecting');
    while ((await this.#pull()) !== undefined) {
      // pull() accumulates
    }
    return this.#completion();
  }

  async text(): Promise<string> {
    return (await this.final()).text;
  }

  abort(): void {
    this.#abandon();
  }

  /** Iterating is allowed once, and not after `final()`/`text()`; `final()` may follow an iteration, or itself. */
  #claim(mode: 'iterating' | 'collecting'): void {
    if (mode === 'iterating' && this.#claimed) {
      throw new KitError('invalid_request', 'ChatStream already consumed: iterate it once, before any final() or text()', {
        provider: this.#source.provider,
      });
    }
    this.#claimed ??= mode;
  }

  async #pull(): Promise<StreamEvent | undefined> {
    if (this.#settled && this.#source.buffered.length === 0) return undefined;
    if (!this.#started) {
      this.#started = true;
      const first = this.#source.buffered[0];
      const upstream = first?.type === 'start' ? (this.#source.buffered.shift(), first) : undefined;
      this.#id = upstream?.id;
      this.#model = upstream?.model || this.#model;
      return { type: 'start', id: this.#id, model: this.#model, credentialId: this.#source.credentialId };
    }
    for (;;) {
      let event: StreamEvent | undefined;
      if (this.#source.buffered.length > 0) {
        event = this.#source.buffered.shift();
      } else if (this.#source.next && !this.#settled) {
        try {
          event = await this.#source.next();
        } catch (error) {
          throw this.#fail(this.#source.classify(error));
        }
      }
      if (event === undefined) return this.#end();
      if (event.type === 'start') continue;
      if (event.type === 'finish') {
        // Held back so that it is last; a second finish keeps the first one's usage unless it brings its own.
        const { usage } = event;
        this.#heldFinish = usage.totalTokens || usage.inputTokens || usage.outputTokens || !this.#heldFinish ? event : { ...event, usage: this.#heldFinish.usage };
        continue;
      }
      this.#accumulate(event);
      return event;
    }
  }

  #accumulate(event: StreamEvent): void {
    if (!this.#sawContent && isContentEvent(event)) {
      this.#sawContent = true;
      this.#source.onFirstContent?.();
    }
    if (event.type === 'text-delta') this.#text += event.text;
    else if (event.type === 'reasoning-delta') {
      let part = this.#reasoningParts.at(-1);
      if (!part || (part.signature && event.text)) this.#reasoningParts.push((part = { type: 'reasoning', text: '' }));
      part.text += event.text;
      if (event.signature) part.signature = (part.signature ?? '') + event.signature;
    } else if (event.type === 'tool-call') this.#toolCalls.push(event.toolCall);
  }

  #end(): StreamEvent | undefined {
    if (this.#settled) return undefined;
    const finish = this.#heldFinish;
    if (!finish) {
      throw this.#fail(
        new KitError('invalid_response', `${this.#source.provider}: the upstream closed the stream before it finished`, {
          provider: this.#source.provider,
          credentialId: this.#source.credentialId,
        }),
      );
    }
    this.#settled = true;
    this.#source.onSuccess({ usage: finish.usage, finishReason: finish.finishReason });
    return finish;
  }

  #fail(error: KitError): KitError {
    if (this.#settled) return error;
    this.#settled = true;
    this.#source.buffered.length = 0;
    this.#source.release(error);
    this.#source.onError(error);
    return error;
  }

  /** `abort()`, or the consumer breaking out of its loop: release the connection; nobody is at fault. */
  #abandon(): void {
    if (!this.#settled) this.#fail(new KitError('aborted', 'the stream was aborted by the caller', { provider: this.#source.provider }));
  }

  #completion(): ChatCompletion {
    const text = this.#text;
    const content: ContentPart[] = [...this.#reasoningParts];
    const reasoning = content.length > 0 ? this.#reasoningParts.map((part) => part.text).join('') : undefined;
    const toolCalls = this.#toolCalls;
    if (text) content.push({ type: 'text', text });
    const message: ChatMessage = { role: 'assistant', content: reasoning === undefined ? text : content };
    if (toolCalls.length > 0) message.toolCalls = [...toolCalls];
    return {
      id: this.#id ?? `kit-${Date.now().toString(36)}-${++generatedIds}`,
      model: this.#model,
      provider: this.#source.provider,
      text,
      reasoning,
      toolCalls: [...toolCalls],
      finishReason: this.#heldFinish?.finishReason ?? 'other',
      usage: this.#heldFinish?.usage ?? emptyUsage(),
      credentialId: this.#source.credentialId,
      message,
    };
  }
}
