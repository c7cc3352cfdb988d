/**
 * Stream mapping for image generation (`image_generation.partial_image`, `image_generation.completed`):
 * events are images, passed on as they come — never buffered — with a `revised_prompt`, when an event
 * carries one, restored. Events too large to be text-bearing are not even parsed.
 */
import type { ProxyError } from "../../errors/catalogue.js";
import type { ScopeIndex } from "../../redaction/scope-index.js";
import type { SseEvent } from "../../sse/events.js";
import type { StreamMapper } from "../shared/adapter.js";
import { parseEventData } from "../shared/stream-step.js";
import { openAIErrorBody } from "../openai/errors.js";
import { restoreImageRecord } from "./response.js";

/** Creates the mapper for one streamed image generation. */
export function createImagesStreamMapper(index: ScopeIndex): StreamMapper {
  let restored = 0;
  return {
    map(event) {
      if (!event.data.includes('"revised_prompt"')) return [event];
      const body = parseEventData(event);
      if (body === undefined) return [event];
      const n = restoreImageRecord(body, index);
      restored += n;
      return n > 0 ? [{ ...event, data: JSON.stringify(body) }] : [event];
    },
    end: () => [],
    error(err: ProxyError): SseEvent {
      return { event: "error", data: JSON.stringify({ type: "error", ...openAIErrorBody(err) }) };
    },
    get restored() {
      return restored;
    },
  };
}
