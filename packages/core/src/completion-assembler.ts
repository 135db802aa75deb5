import type { ChatCompletion } from './chat-completion';
import { emptyUsage } from './chat-completion';
import type { ChatMessage, ContentPart, ToolCall } from './chat-message';
import type { StreamEvent } from './stream-event';
import { TextBuilder } from './text-builder';

type FinishEvent = Extract<StreamEvent, { type: 'finish' }>;
type ReasoningPart = { type: 'reasoning'; text: TextBuilder; signature?: string };

let generatedIds = 0;

/**
 * Collects the events of one answer into a `ChatCompletion`: text, reasoning blocks (each signed block keeps its
 * own signature), tool calls, the finish. Shared by streams (`final()`) and non-streaming calls, which assemble
 * directly without replaying through an iterator.
 */
export class CompletionAssembler {
  readonly #text = new TextBuilder();
  readonly #reasoningParts: ReasoningPart[] = [];
  readonly #toolCalls: ToolCall[] = [];
  #id: string | undefined;
  #model: string;
  #finish: FinishEvent | undefined;

  constructor(model: string) {
    this.#model = model;
  }

  /** The upstream's `start`: its id and the model that actually served. */
  start(event: Extract<StreamEvent, { type: 'start' }>): void {
    this.#id ??= event.id || undefined;
    this.#model = event.model || this.#model;
  }

  get id(): string | undefined {
    return this.#id;
  }

  get model(): string {
    return this.#model;
  }

  get finish(): FinishEvent | undefined {
    return this.#finish;
  }

  /** A `finish`: held so it is last; a second one keeps the first one's usage unless it brings its own. */
  holdFinish(event: FinishEvent): void {
    const { usage } = event;
    const hasUsage = usage.totalTokens || usage.inputTokens || usage.outputTokens;
    const previous = this.#finish;
    this.#finish = hasUsage || !previous ? event : { ...event, usage: previous.usage };
    if (previous?.serverTimings && !this.#finish.serverTimings) this.#finish = { ...this.#finish, serverTimings: previous.serverTimings };
  }

  /** A content event (text, reasoning, tool call; deltas of tool calls carry nothing to keep). */
  add(event: StreamEvent): void {
    if (event.type === 'text-delta') this.#text.append(event.text);
    else if (event.type === 'reasoning-delta') {
      let part = this.#reasoningParts.at(-1);
      if (!part || (part.signature && event.text)) {
        part = { type: 'reasoning', text: new TextBuilder() };
        this.#reasoningParts.push(part);
      }
      part.text.append(event.text);
      if (event.signature) part.signature = (part.signature ?? '') + event.signature;
    } else if (event.type === 'tool-call') this.#toolCalls.push(event.toolCall);
  }

  /** Everything collected so far, as the completion and its replayable assistant message. */
  build(provider: string, credentialId: string | undefined): ChatCompletion {
    const text = this.#text.toString();
    const toolCalls = this.#toolCalls;
    const message: ChatMessage = { role: 'assistant', content: text };
    let reasoning: string | undefined;
    // Reasoning makes the message's content a list of parts: each signed block, then the text.
    if (this.#reasoningParts.length > 0) {
      const content = this.#reasoningParts.map(({ text: partText, signature }): ContentPart => {
        const part: ContentPart = { type: 'reasoning', text: partText.toString() };
        if (signature !== undefined) part.signature = signature;
        return part;
      });
      reasoning = content.map((part) => (part as { text: string }).text).join('');
      if (text) content.push({ type: 'text', text });
      message.content = content;
    }
    if (toolCalls.length > 0) message.toolCalls = toolCalls.slice();
    const finish = this.#finish;
    // Built with its fields in a fixed order and `serverTimings` added after: a spread in the literal is a slow copy.
    const completion: ChatCompletion = {
      id: this.#id ?? `kit-${Date.now().toString(36)}-${++generatedIds}`,
      model: this.#model,
      provider,
      text,
      reasoning,
      toolCalls: toolCalls.slice(),
      finishReason: finish?.finishReason ?? 'other',
      usage: finish?.usage ?? emptyUsage(),
      credentialId,
      message,
    };
    if (finish?.serverTimings) completion.serverTimings = finish.serverTimings;
    return completion;
  }
}
