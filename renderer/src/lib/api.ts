import { contract, type Channel, type ChannelInput, type ChannelOutput } from '../../../shared/api/contract';
import { AppError, ResultEnvelopeSchema, type Result } from '../../../shared/api/errors';
import {
  EventEnvelopeSchema,
  isEventName,
  events as eventSchemas,
  type EventEnvelope,
} from '../../../shared/api/events';

/** What the preload exposes as window.valdrix in Electron: one method per contract channel plus event subscription. */
export type PreloadApi = { [C in Channel]: (input: unknown) => Promise<Result<unknown>> } & {
  onEvent(listener: (envelope: unknown) => void): () => void;
  /** The dropped or picked file's path on disk (Electron's webUtils.getPathForFile). */
  pathForFile(file: File): string;
};

declare global {
  interface Window {
    valdrix?: PreloadApi;
  }
}

interface Transport {
  kind: 'electron' | 'browser';
  invoke(channel: Channel, input: unknown): Promise<Result<unknown>>;
  subscribe(listener: (envelope: unknown) => void): () => void;
}

const TOKEN_KEY = 'valdrix.bridgeToken';

/**
 * Browser mode: the launch URL carries the bridge token in its fragment (never sent to a server or
 * a Referer). Keep it for this tab's session and take it out of the address bar.
 */
export function takeBridgeToken(
  location: Location = window.location,
  storage: Storage = window.sessionStorage,
): string | null {
  const match = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(location.hash);
  if (match?.[1]) {
    storage.setItem(TOKEN_KEY, match[1]);
    window.history.replaceState(null, '', `${location.pathname}${location.search}`);
    return match[1];
  }
  return storage.getItem(TOKEN_KEY);
}

function httpTransport(token: string | null): Transport {
  const headers = () => ({ 'Content-Type': 'application/json', Authorization: `Bearer ${token ?? ''}` });
  return {
    kind: 'browser',
    async invoke(channel, input) {
      let response: Response;
      try {
        response = await fetch(`/api/invoke/${channel}`, {
          method: 'POST',
          headers: headers(),
          body: JSON.stringify(input ?? {}),
        });
      } catch (error) {
        return {
          ok: false,
          error: { code: 'UNAVAILABLE', message: `cannot reach the Valdrix bridge: ${(error as Error).message}` },
        };
      }
      const body: unknown = await response.json().catch(() => null);
      const parsed = ResultEnvelopeSchema.safeParse(body);
      if (!parsed.success) {
        return {
          ok: false,
          error: { code: 'INTERNAL', message: `unexpected bridge response (HTTP ${response.status})` },
        };
      }
      return parsed.data as Result<unknown>;
    },
    subscribe(listener) {
      const controller = new AbortController();
      void readEventStream(headers(), controller.signal, listener);
      return () => controller.abort();
    },
  };
}

/** Reads the bridge's server-sent events with fetch (EventSource cannot send the token header); reconnects. */
async function readEventStream(
  headers: Record<string, string>,
  signal: AbortSignal,
  listener: (envelope: unknown) => void,
) {
  while (!signal.aborted) {
    try {
      const response = await fetch('/api/events', { headers, signal });
      if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let boundary: number;
        while ((boundary = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          const event = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (event && data) listener({ event, payload: JSON.parse(data) as unknown });
        }
      }
    } catch {
      if (signal.aborted) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

function electronTransport(api: PreloadApi): Transport {
  return {
    kind: 'electron',
    invoke: (channel, input) => api[channel](input),
    subscribe: (listener) => api.onEvent(listener),
  };
}

let transport: Transport | null = null;

function getTransport(): Transport {
  transport ??= window.valdrix ? electronTransport(window.valdrix) : httpTransport(takeBridgeToken());
  return transport;
}

/** Calls a contract channel; resolves to the validated output or throws an AppError. */
export async function call<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const result = await getTransport().invoke(channel, input);
  if (!result.ok) throw AppError.fromData(result.error);
  const parsed = contract[channel].output.safeParse(result.value);
  if (!parsed.success) throw new AppError('INTERNAL', `${channel}: the response did not match the contract`);
  return parsed.data as ChannelOutput<C>;
}

/** Subscribes to validated push events from the core. */
export function subscribe(listener: (envelope: EventEnvelope) => void): () => void {
  return getTransport().subscribe((raw) => {
    const envelope = EventEnvelopeSchema.safeParse(raw);
    if (!envelope.success || !isEventName(envelope.data.event)) return;
    const payload = eventSchemas[envelope.data.event].safeParse(envelope.data.payload);
    if (payload.success) listener({ event: envelope.data.event, payload: payload.data } as EventEnvelope);
  });
}

export function transportKind(): 'electron' | 'browser' {
  return getTransport().kind;
}

/** True when browser mode has no token: the page was opened without the launch link. */
export function missingBridgeToken(): boolean {
  return getTransport().kind === 'browser' && !window.sessionStorage.getItem(TOKEN_KEY);
}

/**
 * Turns files the user dropped or picked into paths the core can import. Electron knows each file's
 * path; a browser does not, so browser mode streams each file to the workspace's upload folder first
 * (folders keep their relative layout, so a CUR manifest still finds its data files).
 */
export async function filesToPaths(
  files: readonly File[],
  onProgress?: (done: number, total: number) => void,
): Promise<string[]> {
  const api = window.valdrix;
  if (api) return files.map((file) => api.pathForFile(file));
  const token = takeBridgeToken();
  const batch = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
  const paths: string[] = [];
  let index = 0;
  for (const file of files) {
    const name = file.webkitRelativePath || file.name;
    const response = await fetch(`/api/upload?batch=${batch}&name=${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream', Authorization: `Bearer ${token ?? ''}` },
      body: file,
    });
    const envelope = ResultEnvelopeSchema.safeParse(await response.json().catch(() => null));
    if (!envelope.success) throw new AppError('INTERNAL', `uploading ${name} failed (HTTP ${response.status})`);
    const result = envelope.data as Result<{ path: string }>;
    if (!result.ok) throw AppError.fromData(result.error);
    paths.push(result.value.path);
    onProgress?.(++index, files.length);
  }
  return paths;
}
