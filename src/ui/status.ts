/**
 * The status panel: detector in use and its load state, policy, the playground scope's vault counts per
 * level and type (counts only), uptime and version. Refreshed periodically and after each redaction.
 */
import { ApiError, fetchStatus, type StatusWire } from "./api.js";
import { byId, el, replaceChildren } from "./dom.js";
import { LEVELS, levelClass } from "./levels.js";

const REFRESH_MS = 5_000;

const DETAIL_LABELS: Readonly<Record<string, string>> = {
  model: "Model",
  quantization: "Quantization",
  gpu: "GPU",
  sequences: "Sequences",
  endpoint: "Endpoint",
  instructions: "Instructions",
};

const MODE_LABELS: Readonly<Record<string, string>> = {
  type_specific: "typed placeholders",
  generic: "generic placeholders",
  complete: "complete ([REDACTED])",
};

/** `3 d 4 h`, `4 h 5 min`, `5 min 6 s`, `6 s`. */
export function formatUptime(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3_600);
  const m = Math.floor((s % 3_600) / 60);
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min ${s % 60} s`;
  return `${s} s`;
}

function detectorLabel(kind: string): string {
  if (kind.includes("model")) return "Local MemPrivacy model + rules";
  if (kind.includes("remote")) return "Remote MemPrivacy model + rules";
  return "Rules";
}

function levelsLabel(levels: readonly string[]): string {
  return levels.length === 0 ? "none (nothing masked)" : levels.join(", ");
}

export interface StatusPanel {
  refresh(): Promise<void>;
}

/** Wires the panel; `onFirst` receives the first status (the server's default policy). */
export function createStatusPanel(onFirst: (status: StatusWire) => void): StatusPanel {
  const facts = byId("status-facts", HTMLElement);
  const levels = byId("vault-levels", HTMLElement);
  const types = byId("vault-types", HTMLTableElement);
  const pill = byId("ready-pill", HTMLElement);
  const foot = byId("foot", HTMLElement);
  let first = true;
  let uptimeBase: { seconds: number; at: number } | undefined;
  let uptimeNode: HTMLElement | undefined;
  let pending: Promise<void> | undefined;

  const setPill = (state: "ok" | "wait" | "bad", text: string): void => {
    // Unchanged text is not rewritten: the pill is a live region and would be announced again.
    if (pill.dataset.text === text) return;
    pill.dataset.text = text;
    pill.className = `pill ${state}`;
    replaceChildren(pill, [el("span", { className: "dot", attrs: { "aria-hidden": "true" } }), text]);
  };

  const render = (s: StatusWire): void => {
    const rows: [string, string][] = [
      ["State", s.detector.ready ? "Ready" : "Loading the model…"],
      ["Detector", detectorLabel(s.detector.kind)],
      ["Detector id", s.detector.id],
    ];
    for (const [key, value] of Object.entries(s.detector.details)) {
      rows.push([DETAIL_LABELS[key] ?? key, String(value)]);
    }
    rows.push(["Levels masked", levelsLabel(s.policy.levels)]);
    rows.push(["Mode", MODE_LABELS[s.policy.mode] ?? s.policy.mode]);
    const vaults: Record<string, string> = {
      sqlite: "encrypted SQLite",
      postgres: "shared PostgreSQL (encrypted)",
      memory: "in memory (ephemeral)",
    };
    rows.push(["Vault", vaults[s.vault.kind] ?? s.vault.kind]);
    const uptime = el("dd", {}, [formatUptime(s.uptimeSeconds)]);
    uptimeNode = uptime;
    uptimeBase = { seconds: s.uptimeSeconds, at: Date.now() };
    replaceChildren(facts, [
      ...rows.flatMap(([k, v]) => [el("dt", {}, [k]), el("dd", {}, [v])]),
      el("dt", {}, ["Uptime"]),
      uptime,
      el("dt", {}, ["Version"]),
      el("dd", {}, [s.version]),
    ]);

    replaceChildren(
      levels,
      LEVELS.map((l) =>
        el("span", { className: "count", attrs: { "data-level": l } }, [
          el("span", { className: `badge ${levelClass(l)}` }, [l]),
          String(s.vault.byLevel[l] ?? 0),
        ]),
      ),
    );
    const body = types.tBodies[0] ?? types.createTBody();
    const entries = Object.entries(s.vault.byType).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    replaceChildren(
      body,
      entries.length === 0
        ? [el("tr", {}, [el("td", { attrs: { colspan: "2" }, className: "zero" }, ["No placeholders yet."])])]
        : entries.map(([type, n]) =>
            el("tr", {}, [el("td", {}, [type]), el("td", { className: "num" }, [String(n)])]),
          ),
    );

    setPill(
      s.detector.ready ? "ok" : "wait",
      s.detector.ready ? `Ready · ${detectorLabel(s.detector.kind)}` : "Loading the model…",
    );
    foot.textContent = `MemPrivacy Proxy ${s.version} · runs on this machine · nothing on this page is loaded from elsewhere`;
    if (first) {
      first = false;
      onFirst(s);
    }
  };

  const load = async (): Promise<void> => {
    const ctl = new AbortController();
    const timeout = setTimeout(() => ctl.abort(), 10_000);
    try {
      render(await fetchStatus(ctl.signal));
    } catch (err) {
      setPill(
        "bad",
        err instanceof ApiError && err.status === 401 ? "Proxy token required" : "Proxy unreachable",
      );
    } finally {
      clearTimeout(timeout);
    }
  };

  const refresh = (): Promise<void> => {
    pending ??= load().finally(() => {
      pending = undefined;
    });
    return pending;
  };

  setInterval(() => void refresh(), REFRESH_MS);
  setInterval(() => {
    if (uptimeBase !== undefined && uptimeNode !== undefined)
      uptimeNode.textContent = formatUptime(uptimeBase.seconds + (Date.now() - uptimeBase.at) / 1000);
  }, 1_000);
  void refresh();
  return { refresh };
}
