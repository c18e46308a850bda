/** The e-mail a task link travels in: its template and the data the engine gives it (deploy checks the template prints no other). */
export const TASK_LINK_TEMPLATE = 'task-link';

export interface TaskLinkMailData {
  name: string;
  title: string;
  linkUrl: string;
  expiresAt: string;
}

/** Sample of that data, for deploy's template check (the keys are what counts). */
export const TASK_LINK_DATA: TaskLinkMailData = { name: '', title: '', linkUrl: '', expiresAt: '' };

/** Payload keys that hold a link's secret: the log transport never prints them, and a sent message keeps them no longer. */
export const SECRET_PAYLOAD_KEYS = ['linkUrl'] as const;

/** The payload with its secrets replaced by `[redacted]`; the same object when it holds none. */
export function redactSecrets(payload: Record<string, unknown>): Record<string, unknown> {
  if (!SECRET_PAYLOAD_KEYS.some((key) => key in payload)) return payload;
  const redacted = { ...payload };
  for (const key of SECRET_PAYLOAD_KEYS) if (key in redacted) redacted[key] = '[redacted]';
  return redacted;
}
