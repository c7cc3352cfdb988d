/**
 * The playground: as the user types (debounced), the text is redacted in the playground scope and shown
 * twice — with each span highlighted by level, and exactly as the cloud would receive it — and a restore
 * box turns placeholder text back. Stale answers are dropped: only the latest request renders.
 */
import { ApiError, redact, restore, type Mode, type RedactResult } from "./api.js";
import { byId, el, replaceChildren } from "./dom.js";
import { LEVELS, levelClass, type Level } from "./levels.js";
import { segmentCloud, segmentInput, type Segment } from "./segments.js";

const DEBOUNCE_MS = 250;

export interface Playground {
  /** Sets the level and mode controls to the server's policy, unless the user already changed them. */
  applyPolicy(levels: readonly string[], mode: string): void;
}

function isMode(value: string): value is Mode {
  return value === "type_specific" || value === "generic" || value === "complete";
}

function describeCounts(segments: readonly Segment[]): string {
  const counts = new Map<Level, number>();
  let total = 0;
  for (const s of segments) {
    if (s.kind !== "span") continue;
    total++;
    counts.set(s.level, (counts.get(s.level) ?? 0) + 1);
  }
  if (total === 0) return "No private values found.";
  const parts = LEVELS.filter((l) => counts.has(l)).map((l) => `${counts.get(l)} × ${l}`);
  return `${total} span${total === 1 ? "" : "s"}: ${parts.join(", ")}`;
}

function renderInput(segments: readonly Segment[]): Node[] {
  return segments.map((s) => {
    if (s.kind === "text") return document.createTextNode(s.text);
    const { type, placeholder } = s.span;
    return el(
      "span",
      {
        className: `hl ${levelClass(s.level)}`,
        attrs: {
          tabindex: "0",
          role: "note",
          "data-level": s.level,
          "data-type": type,
          "data-placeholder": placeholder,
          "aria-label": `${s.text}: ${type}, ${s.level}, sent as ${placeholder}`,
        },
      },
      [s.text],
    );
  });
}

function renderCloud(segments: readonly Segment[]): Node[] {
  return segments.map((s) => {
    if (s.kind === "text") return document.createTextNode(s.text);
    return el(
      "span",
      {
        className: `ph ${levelClass(s.level)}`,
        attrs: { "data-level": s.level, "data-type": s.span.type, "data-placeholder": s.span.placeholder },
      },
      [s.text],
    );
  });
}

/** Wires the playground controls; `onChanged` runs after each redaction (the vault counts moved). */
export function createPlayground(onChanged: () => void): Playground {
  const input = byId("input", HTMLTextAreaElement);
  const userName = byId("user-name", HTMLInputElement);
  const mode = byId("mode", HTMLSelectElement);
  const levelBoxes = [...document.querySelectorAll<HTMLInputElement>('input[name="level"]')];
  const highlighted = byId("highlighted", HTMLElement);
  const cloud = byId("cloud", HTMLElement);
  const summary = byId("summary", HTMLElement);
  const cloudNote = byId("cloud-note", HTMLElement);
  const error = byId("pg-error", HTMLElement);
  const restoreInput = byId("restore-input", HTMLTextAreaElement);
  const restoreButton = byId("restore-btn", HTMLButtonElement);
  const useCloud = byId("use-cloud", HTMLButtonElement);
  const restored = byId("restored", HTMLElement);

  let touched = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: AbortController | undefined;
  let last: RedactResult | undefined;
  let restoreTimer: ReturnType<typeof setTimeout> | undefined;
  let restoreFlight: AbortController | undefined;

  const showError = (err: unknown): void => {
    if (err instanceof DOMException && err.name === "AbortError") return;
    error.textContent =
      err instanceof ApiError ? err.message : "The proxy could not be reached. Is it still running?";
    error.hidden = false;
  };

  const run = async (): Promise<void> => {
    inFlight?.abort();
    const text = input.value;
    if (text === "") {
      inFlight = undefined;
      last = undefined;
      replaceChildren(highlighted, []);
      replaceChildren(cloud, []);
      summary.textContent = "Nothing typed yet.";
      error.hidden = true;
      return;
    }
    const ctl = new AbortController();
    inFlight = ctl;
    const selectedMode = isMode(mode.value) ? mode.value : "type_specific";
    try {
      const result = await redact(
        {
          text,
          userName: userName.value,
          levels: levelBoxes.filter((b) => b.checked).map((b) => b.value),
          mode: selectedMode,
        },
        ctl.signal,
      );
      if (inFlight !== ctl) return;
      last = result;
      const inputSegments = segmentInput(text, result.spans);
      replaceChildren(highlighted, renderInput(inputSegments));
      replaceChildren(cloud, renderCloud(segmentCloud(result.text, result.spans)));
      summary.textContent = describeCounts(inputSegments);
      cloudNote.textContent =
        selectedMode === "complete"
          ? "Complete mode: values are removed for good and cannot be restored."
          : "Placeholders replace every masked value.";
      error.hidden = true;
      onChanged();
    } catch (err) {
      if (inFlight === ctl) showError(err);
    }
  };

  const schedule = (delay = DEBOUNCE_MS): void => {
    clearTimeout(timer);
    timer = setTimeout(() => void run(), delay);
  };

  const runRestore = async (): Promise<void> => {
    restoreFlight?.abort();
    const ctl = new AbortController();
    restoreFlight = ctl;
    try {
      const text = await restore(restoreInput.value, ctl.signal);
      if (restoreFlight === ctl) restored.textContent = text;
    } catch (err) {
      if (restoreFlight === ctl) showError(err);
    }
  };

  input.addEventListener("input", () => schedule());
  userName.addEventListener("input", () => schedule());
  for (const box of levelBoxes) {
    box.addEventListener("change", () => {
      touched = true;
      schedule(0);
    });
  }
  mode.addEventListener("change", () => {
    touched = true;
    schedule(0);
  });
  restoreButton.addEventListener("click", () => {
    clearTimeout(restoreTimer);
    void runRestore();
  });
  restoreInput.addEventListener("input", () => {
    clearTimeout(restoreTimer);
    restoreTimer = setTimeout(() => void runRestore(), DEBOUNCE_MS * 2);
  });
  useCloud.addEventListener("click", () => {
    if (last === undefined) return;
    restoreInput.value = last.text;
    void runRestore();
  });

  return {
    applyPolicy(levels, policyMode) {
      if (touched) return;
      for (const box of levelBoxes) box.checked = levels.includes(box.value);
      if (isMode(policyMode)) mode.value = policyMode;
      if (input.value !== "") schedule(0);
    },
  };
}
