/**
 * Recorded histories for the replay test (test/histories/). Tests call `recordHistory` at the end of a
 * scenario; it writes only when CAUCE_RECORD_HISTORIES=1 (`npm run record-histories`), so ordinary runs
 * never change the committed files.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';

export const HISTORIES_DIR = path.join(__dirname, '../histories');

export async function recordHistory(handle: WorkflowHandle, name: string): Promise<void> {
  if (process.env.CAUCE_RECORD_HISTORIES !== '1') return;
  const history = await handle.fetchHistory();
  const json = { workflowId: handle.workflowId, history: JSON.parse(historyToJSON(history)) };
  writeFileSync(path.join(HISTORIES_DIR, `${name}.json`), JSON.stringify(json, null, 1));
}

type JsonEvent = { eventType: string } & Record<string, any>;

/** Ids of the patches (`patched()`) a history's run took, from its `core_patch` markers (JSON form, as recorded or fetched). */
export function patchIds(events: JsonEvent[]): string[] {
  return events
    .filter((e) => e.eventType === 'EVENT_TYPE_MARKER_RECORDED' && e.markerRecordedEventAttributes?.markerName === 'core_patch')
    .map((e) => JSON.parse(Buffer.from(e.markerRecordedEventAttributes.details['patch-data'].payloads[0].data, 'base64').toString('utf8')).id as string);
}
