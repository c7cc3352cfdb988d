/** Request redaction for a message batch: every request's Messages `params`, as on `POST /v1/messages`. */
import { collectAnthropicSlots } from "../anthropic/request.js";
import { isRecord, records, type TextSlot } from "../shared/slots.js";

/** Every text slot of every request of a batch, in request order. */
export function collectBatchSlots(body: Record<string, unknown>): TextSlot[] {
  const slots: TextSlot[] = [];
  for (const request of records(body.requests)) {
    if (isRecord(request.params)) slots.push(...collectAnthropicSlots(request.params));
  }
  return slots;
}
