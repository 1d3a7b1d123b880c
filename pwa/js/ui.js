// The phone's screen helpers: dialogs, formatting, loading and empty states; the element builder,
// toasts, problem text and {code, label} reading come from the shared toolkit (../shared/).
import { h, saveFile } from "../shared/dom.js";

export { fill, h, hideToast, saveFile, toast } from "../shared/dom.js";
export { codeOf, labelOf } from "../shared/codes.js";
export { problemText } from "../shared/problems.js";

// Saves text as a file through a temporary link (the rescue exports).
export function downloadFile(name, text, type = "application/json") {
  saveFile(new Blob([text], { type }), name);
}

// An in-page confirmation (window.confirm is unreliable in in-app browsers). Resolves true/false.
export function confirmDialog(title, message, { ok = "确定", cancel = "取消", danger = false } = {}) {
  return new Promise((resolve) => {
    const close = (answer) => {
      overlay.remove();
      resolve(answer);
    };
    const overlay = h(
      "div.overlay",
      { role: "dialog", "aria-modal": "true", "aria-labelledby": "dialog-title" },
      h(
        "div.dialog",
        {},
        h("h2", { id: "dialog-title" }, title),
        h("p", {}, message),
        h(
          "div.row",
          {},
          h("button.secondary", { type: "button", onclick: () => close(false) }, cancel),
          h(`button${danger ? ".danger" : ""}`, { type: "button", onclick: () => close(true) }, ok),
        ),
      ),
    );
    document.body.append(overlay);
    overlay.querySelector("button:last-child").focus();
  });
}

export function uuid() {
  if (globalThis.crypto?.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const pad = (n) => String(n).padStart(2, "0");

export function formatDateTime(value, { seconds = false } = {}) {
  if (!value) return "";
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return "";
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}${seconds ? `:${pad(d.getSeconds())}` : ""}`;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time}`;
}

export function formatTime(value) {
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? "" : `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function formatBytes(bytes) {
  if (!Number.isFinite(bytes)) return "未知";
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
}

export function loading(text = "正在加载…") {
  return h("p.muted.loading", { role: "status" }, text);
}

export function emptyState(text) {
  return h("p.empty", {}, text);
}

export function screenTitle(text, ...extra) {
  return h("div.screen-title", {}, h("h1", {}, text), ...extra);
}

// fn wrapped so that calls arriving while it runs make one more run after it, not one each:
// a drain that changes 20 records at once redraws the list twice, not 20 times. No timers, so
// it also runs on a paused clock.
export function coalesced(fn) {
  let running = null;
  let again = false;
  return () => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await fn();
      } while (again);
    })().finally(() => {
      running = null;
    });
    return running;
  };
}
