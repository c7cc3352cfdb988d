/** Entry point of the page: wires the playground, the status panel, the live traffic view and tooltips. */
import { byId } from "./dom.js";
import { createPlayground } from "./playground.js";
import { createStatusPanel } from "./status.js";
import { attachTooltips } from "./tooltip.js";
import { startTrafficView } from "./traffic.js";

function start(): void {
  let refreshStatus: () => void = () => undefined;
  const playground = createPlayground(() => refreshStatus());
  const status = createStatusPanel((first) => playground.applyPolicy(first.policy.levels, first.policy.mode));
  refreshStatus = () => void status.refresh();
  attachTooltips(document.body, byId("tip", HTMLElement));
  startTrafficView();
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
else start();
