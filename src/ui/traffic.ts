/**
 * The live traffic table, fed by the proxy's SSE stream: time, route, status, upstream status, spans per
 * level, redaction and upstream latency, streamed or not. Entries carry no values, and the table renders
 * only the named numeric and route fields of each.
 */
import { apiHeaders, type TrafficWire } from "./api.js";
import { byId, el } from "./dom.js";
import { openEventStream, type StreamState } from "./sse.js";

const MAX_ROWS = 100;

function ms(value: number | null): string {
  if (value === null) return "—";
  return value < 10 ? `${value.toFixed(1)} ms` : `${Math.round(value)} ms`;
}

function time(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "—" : date.toLocaleTimeString([], { hour12: false });
}

function count(n: number): HTMLElement {
  return el("td", { className: n === 0 ? "num zero" : "num" }, [String(n)]);
}

function statusCell(status: number | null): HTMLElement {
  if (status === null) return el("td", { className: "num zero" }, ["—"]);
  return el("td", { className: status < 400 ? "num status-ok" : "num status-bad" }, [String(status)]);
}

function isEntry(value: unknown): value is TrafficWire {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Partial<TrafficWire>;
  return typeof v.id === "number" && typeof v.route === "string" && typeof v.spans === "object";
}

/** Routes the page itself calls: they can be hidden to watch agent traffic alone. */
const LOCAL_ROUTES = new Set(["/", "/v1/redact", "/v1/restore"]);

function row(e: TrafficWire): HTMLTableRowElement {
  const attrs: Record<string, string> = { "data-id": String(e.id) };
  if (LOCAL_ROUTES.has(e.route)) attrs["data-local"] = "";
  return el("tr", { attrs }, [
    el("td", {}, [el("time", { attrs: { datetime: e.time } }, [time(e.time)])]),
    el("td", { className: "route" }, [`${e.method} ${e.route}`]),
    statusCell(e.status),
    statusCell(e.upstreamStatus),
    count(e.spans.PL2),
    count(e.spans.PL3),
    count(e.spans.PL4),
    el("td", { className: "num" }, [ms(e.redactionMs)]),
    el("td", { className: "num" }, [ms(e.upstreamMs)]),
    el("td", {}, [e.streamed ? "Yes" : "No"]),
  ]);
}

const STATE_TEXT: Readonly<Record<StreamState, string>> = {
  connecting: "Connecting…",
  live: "Live",
  retrying: "Reconnecting…",
  closed: "Disconnected",
};

/** Opens the traffic stream and keeps the table up to date. */
export function startTrafficView(): void {
  const rows = byId("traffic-rows", HTMLTableSectionElement);
  const empty = byId("traffic-empty", HTMLElement);
  const state = byId("traffic-state", HTMLElement);
  const table = byId("traffic-table", HTMLTableElement);
  const hideLocal = byId("hide-local", HTMLInputElement);
  const seen = new Set<number>();
  const syncFilter = (): void => {
    table.classList.toggle("hide-local", hideLocal.checked);
  };
  hideLocal.addEventListener("change", syncFilter);
  syncFilter();

  openEventStream({
    url: "/v1/memprivacy/traffic",
    headers: () => apiHeaders(),
    onState(s, detail) {
      state.textContent = detail === "token" ? "Proxy token required" : STATE_TEXT[s];
      state.dataset.state = s;
    },
    onEvent(event) {
      if (event.event !== "traffic") return;
      let entry: unknown;
      try {
        entry = JSON.parse(event.data);
      } catch {
        return;
      }
      if (!isEntry(entry) || seen.has(entry.id)) return;
      seen.add(entry.id);
      const tr = row(entry);
      tr.classList.add("fresh");
      rows.prepend(tr);
      while (rows.rows.length > MAX_ROWS) {
        const lastRow = rows.rows[rows.rows.length - 1];
        if (lastRow === undefined) break;
        seen.delete(Number(lastRow.dataset.id));
        lastRow.remove();
      }
      empty.hidden = true;
    },
  });
}
