/**
 * One shared tooltip for highlighted spans and placeholders: shown on hover and on keyboard focus, hidden
 * on leave, blur or Escape. It is positioned in the viewport (fixed), so scrolling panes never clip it.
 */
import { el, replaceChildren } from "./dom.js";

const TARGET = "[data-type][data-level]";

function describe(target: HTMLElement): Node[] {
  const type = target.dataset.type ?? "";
  const level = target.dataset.level ?? "";
  const placeholder = target.dataset.placeholder ?? "";
  const parts: Node[] = [el("strong", {}, [type]), document.createTextNode(`${level} · sent as `)];
  parts.push(el("code", {}, [placeholder]));
  return parts;
}

function place(tip: HTMLElement, target: HTMLElement): void {
  const box = target.getBoundingClientRect();
  const width = tip.offsetWidth;
  const height = tip.offsetHeight;
  const left = Math.max(8, Math.min(box.left, window.innerWidth - width - 8));
  const below = box.bottom + 6;
  const top = below + height > window.innerHeight - 4 ? Math.max(4, box.top - height - 6) : below;
  tip.style.left = `${Math.round(left)}px`;
  tip.style.top = `${Math.round(top)}px`;
}

/** Makes every `[data-type][data-level]` element inside `root` show its type and level in `tip`. */
export function attachTooltips(root: HTMLElement, tip: HTMLElement): void {
  let current: HTMLElement | undefined;
  const show = (target: HTMLElement): void => {
    current = target;
    replaceChildren(tip, describe(target));
    tip.hidden = false;
    place(tip, target);
  };
  const hide = (): void => {
    current = undefined;
    tip.hidden = true;
  };
  const targetOf = (event: Event): HTMLElement | undefined => {
    const node = event.target;
    if (!(node instanceof Element)) return undefined;
    const found = node.closest(TARGET);
    return found instanceof HTMLElement && root.contains(found) ? found : undefined;
  };
  root.addEventListener("mouseover", (event) => {
    const target = targetOf(event);
    if (target !== undefined && target !== current) show(target);
  });
  root.addEventListener("mouseout", (event) => {
    const to = event.relatedTarget;
    if (current !== undefined && !(to instanceof Node && current.contains(to))) hide();
  });
  root.addEventListener("focusin", (event) => {
    const target = targetOf(event);
    if (target !== undefined) show(target);
  });
  root.addEventListener("focusout", hide);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") hide();
  });
  window.addEventListener("scroll", () => current !== undefined && place(tip, current), { passive: true });
}
