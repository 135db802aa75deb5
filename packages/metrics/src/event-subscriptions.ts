import { KitError, type KitEvent, type KitEventType } from '@kit/core';

/** Which events a subscriber receives; every given field must match (a list matches any of its values). */
export interface MetricsEventFilter {
  provider?: string | readonly string[];
  model?: string | readonly string[];
  credentialId?: string | readonly string[];
  type?: KitEventType | readonly KitEventType[];
}

/** A subscriber: called with each matching event. A returned promise is not awaited; its rejection is ignored. */
export type MetricsEventListener = (event: KitEvent) => void | Promise<void>;

interface Subscriber {
  listener: MetricsEventListener;
  matches: (event: KitEvent) => boolean;
}

/** How many events may wait for delivery; beyond it new events are dropped (and counted) until the queue drains. */
export const MAX_QUEUED_EVENTS = 10_000;

function matcher(value: string | readonly string[] | undefined, field: string): ((actual: string | undefined) => boolean) | undefined {
  if (value === undefined) return undefined;
  const values = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(values) || values.some((item) => typeof item !== 'string')) {
    throw new KitError('invalid_config', `MetricsCollector.subscribe: filter.${field} must be a string or an array of strings`);
  }
  const set = new Set(values);
  return (actual) => actual !== undefined && set.has(actual);
}

function compileFilter(filter: MetricsEventFilter | undefined): (event: KitEvent) => boolean {
  if (filter === undefined) return () => true;
  if (typeof filter !== 'object' || filter === null) throw new KitError('invalid_config', 'MetricsCollector.subscribe: filter must be an object');
  const provider = matcher(filter.provider, 'provider');
  const model = matcher(filter.model, 'model');
  const credential = matcher(filter.credentialId, 'credentialId');
  const type = matcher(filter.type, 'type');
  return (event) =>
    (!provider || provider(event.provider)) &&
    (!model || model(event.model)) &&
    (!credential || credential(event.type === 'failover' ? event.from : event.credentialId)) &&
    (!type || type(event.type));
}

/**
 * Delivers recorded events to subscribers **after** `record` returns (in a microtask, in order), so that a slow or
 * throwing subscriber never delays or breaks the request that emitted the event.
 */
export class EventSubscriptions {
  #subscribers: readonly Subscriber[] = [];
  #queue: KitEvent[] = [];
  #scheduled = false;
  dropped = 0;

  get active(): boolean {
    return this.#subscribers.length > 0;
  }

  add(listener: MetricsEventListener, filter?: MetricsEventFilter): () => void {
    if (typeof listener !== 'function') throw new KitError('invalid_config', 'MetricsCollector.subscribe: listener must be a function');
    const subscriber: Subscriber = { listener, matches: compileFilter(filter) };
    this.#subscribers = [...this.#subscribers, subscriber];
    return () => {
      this.#subscribers = this.#subscribers.filter((other) => other !== subscriber);
    };
  }

  /** Queues an event for delivery (only called while there are subscribers). */
  enqueue(event: KitEvent): void {
    if (this.#queue.length >= MAX_QUEUED_EVENTS) {
      this.dropped++;
      return;
    }
    this.#queue.push(event);
    if (!this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(() => this.#flush());
    }
  }

  #flush(): void {
    this.#scheduled = false;
    const queue = this.#queue;
    this.#queue = [];
    for (const event of queue) {
      for (const subscriber of this.#subscribers) {
        try {
          if (!subscriber.matches(event)) continue;
          const result = subscriber.listener(event);
          if (result && typeof (result as Promise<void>).then === 'function') (result as Promise<void>).then(undefined, ignore);
        } catch {
          // A subscriber's failure is its own.
        }
      }
    }
  }

  clearDropped(): void {
    this.dropped = 0;
  }
}

function ignore(): void {}
