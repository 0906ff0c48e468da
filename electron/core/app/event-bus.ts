import type { EventEnvelope, EventName, EventPayload } from '../../../shared/api/events';

export type EventListener = (envelope: EventEnvelope) => void;

/** In-process push channel; transports (IPC, the bridge's event stream) subscribe and forward. */
export class EventBus {
  private readonly listeners = new Set<EventListener>();

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    const envelope = { event, payload } as EventEnvelope;
    for (const listener of [...this.listeners]) {
      try {
        listener(envelope);
      } catch {
        // A failing transport must not stop delivery to the others.
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get size(): number {
    return this.listeners.size;
  }
}
