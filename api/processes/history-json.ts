/**
 * Temporal's event history in its JSON form (as `historyToJSON` and `temporal workflow show --output
 * json` write it), and the readers the timeline's mappers share: payloads, failures, durations.
 * Pure functions: no client, no database.
 */
import { temporal } from '@temporalio/proto';

/** JSON history as Temporal tools write it: camelCase fields, enum names, base64 payloads. */
export interface HistoryJson {
  events: HistoryEventJson[];
}
export type HistoryEventJson = { eventId: string; eventTime: string; eventType: string } & Record<string, any>;

type ProtoTime = { seconds?: string | number; nanos?: number };
const isTimestamp = (v: unknown): v is ProtoTime => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  let keys = 0;
  for (const k in v) {
    if (k !== 'seconds' && k !== 'nanos') return false;
    keys++;
  }
  return keys > 0;
};
const secondsOf = (t: ProtoTime) => Number(t.seconds ?? 0) + (t.nanos ?? 0) / 1e9;
const TIME_FIELD = /Time$/;

/** google.protobuf.Timestamp (…Time) to ISO, Duration (…Timeout, …Interval, backoff…) to `12.5s`, in place. */
function fixTimes(value: unknown, key: string): unknown {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = fixTimes(value[i], '');
    return value;
  }
  if (typeof value !== 'object' || value === null) return value;
  if (isTimestamp(value)) return TIME_FIELD.test(key) ? new Date(secondsOf(value) * 1000).toISOString() : `${secondsOf(value)}s`;
  const o = value as Record<string, unknown>;
  for (const k in o) o[k] = fixTimes(o[k], k);
  return o;
}

/**
 * A fetched History (protobuf objects) in the JSON form above. `historyToJSON` from
 * @temporalio/common would do this, but in this install it throws ("type must be a Type": two
 * protobufjs copies), so this converts with the generated `toObject` and fixes times and durations.
 */
export function historyFromProto(history: temporal.api.history.v1.IHistory): HistoryJson {
  const { History } = temporal.api.history.v1;
  // A fetched History is a message already (fromObject returns it as is); a plain object is built.
  const plain = History.toObject(History.fromObject(history), { longs: String, enums: String, bytes: String }) as HistoryJson;
  const events = plain.events ?? [];
  // toObject made fresh objects: fixing them in place copies nothing more.
  for (const e of events) fixTimes(e, '');
  return { events };
}

export interface PayloadJson {
  metadata?: Record<string, string>;
  data?: string;
}

const b64 = (s: string | undefined) => (s === undefined ? '' : Buffer.from(s, 'base64').toString('utf8'));

/** Decodes a `json/plain` payload; other encodings (binary, protobuf, encrypted) stay undecoded. */
export function decodePayload(p: PayloadJson | undefined): unknown {
  if (!p) return undefined;
  const encoding = b64(p.metadata?.encoding);
  if (encoding === 'binary/null') return null;
  if (encoding === 'json/plain') {
    try {
      return JSON.parse(b64(p.data));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export const decodeAll = (payloads: { payloads?: PayloadJson[] } | undefined): unknown[] => (payloads?.payloads ?? []).map(decodePayload);

export interface FailureJson {
  message?: string;
  cause?: FailureJson;
  applicationFailureInfo?: { type?: string; nonRetryable?: boolean };
}

/** `outer: inner: innermost`, without repeating a message its cause already says. */
export function failureMessage(f: FailureJson | undefined): string {
  if (!f) return 'unknown error';
  const inner = f.cause ? failureMessage(f.cause) : '';
  const own = f.message ?? '';
  if (!inner) return own || 'unknown error';
  if (!own || own === inner) return inner;
  return `${own}: ${inner}`;
}

export const failureType = (f: FailureJson | undefined): string | undefined => f?.applicationFailureInfo?.type ?? (f?.cause ? failureType(f.cause) : undefined);

/** `86400s` → `1d`, `5400s` → `1h30m`, `0.2s` → `200ms`. */
export function humanDuration(protoDuration: string | undefined): string {
  if (!protoDuration) return '';
  const exact = Number.parseFloat(protoDuration);
  if (!Number.isFinite(exact)) return protoDuration;
  if (exact > 0 && exact < 1) return `${Math.round(exact * 1000)}ms`;
  let seconds = Math.round(exact);
  const parts: string[] = [];
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    if (seconds >= size) {
      parts.push(`${Math.floor(seconds / size)}${unit}`);
      seconds %= size;
    }
  }
  return parts.join('') || '0s';
}

const EVENT_PREFIX = 'EVENT_TYPE_';
/** `EVENT_TYPE_TIMER_FIRED` → `TIMER_FIRED`: the names the mapper table is keyed by. */
export const shortEventType = (e: HistoryEventJson): string => (e.eventType.startsWith(EVENT_PREFIX) ? e.eventType.slice(EVENT_PREFIX.length) : e.eventType);

/** An event's one `…EventAttributes` field. */
export function attrsOf(e: HistoryEventJson): Record<string, any> {
  for (const k in e) if (k.endsWith('EventAttributes')) return e[k];
  return {};
}

/** The summary the workflow gave a command (user metadata), e.g. a timer's purpose. */
export function summaryOf(e: HistoryEventJson): string | undefined {
  const s = decodePayload(e.userMetadata?.summary);
  return typeof s === 'string' && s ? s : undefined;
}

export const isObject = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Drops the keys whose value is undefined, so entries carry only what they say. */
export const compact = <T extends Record<string, unknown>>(o: T): T => {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
};
