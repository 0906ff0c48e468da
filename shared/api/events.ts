import { z } from 'zod';
import { JobSchema } from './jobs';

/** Push events from the core to every window, over IPC or the bridge's event stream. */
export const events = {
  /** Cost data changed (import, demo regeneration): screens showing costs refetch. */
  'data.changed': z.object({ reason: z.string(), at: z.string() }),
  /** A job was enqueued, claimed, made progress or finished (in this process or another one). */
  'jobs.changed': z.object({ job: JobSchema }),
  /** An audit event was recorded by this process (other processes' events show at the next refresh). */
  'audit.appended': z.object({ seq: z.number().int(), action: z.string() }),
  /** The host is shutting down; the renderer shows a notice instead of failing requests. */
  'app.closing': z.object({ at: z.string() }),
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.infer<Events[E]>;

export const eventNames = Object.keys(events) as EventName[];

export const EventEnvelopeSchema = z.object({ event: z.string(), payload: z.unknown() });
export type EventEnvelope = { [E in EventName]: { event: E; payload: EventPayload<E> } }[EventName];

export function isEventName(name: string): name is EventName {
  return Object.prototype.hasOwnProperty.call(events, name);
}
