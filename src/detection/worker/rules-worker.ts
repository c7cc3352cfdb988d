/**
 * Worker-thread entry of the rule pool (see pool.ts): runs the rule detector on texts posted by the main
 * thread, so a large or hostile text never blocks the event loop. Messages hold only what detection needs;
 * nothing here logs (texts are private).
 */
import { parentPort, workerData } from "node:worker_threads";
import { detectRules } from "../rules/index.js";
import { packSpans, type RulesWorkerData, type WorkerReply, type WorkerRequest } from "./protocol.js";

const port = parentPort;
if (port === null) throw new Error("rules-worker must run in a worker thread");
const { phoneRegions } = (workerData ?? {}) as RulesWorkerData;

port.on("message", (job: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    reply = { id: job.id, spans: packSpans(detectRules(job.text, { userName: job.userName, phoneRegions })) };
  } catch {
    // The error's message could quote the text: only the fact of failure crosses over.
    reply = { id: job.id, failed: true };
  }
  // The offsets move to the main thread rather than being copied (packSpans allocates plain ArrayBuffers).
  const transfer =
    "spans" in reply
      ? [reply.spans.starts.buffer, reply.spans.ends.buffer, reply.spans.meta.buffer].map(
          (b) => b as ArrayBuffer,
        )
      : [];
  port.postMessage(reply, transfer);
});
