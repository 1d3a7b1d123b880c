// The DOM helpers both apps build their screens with: an element builder and a toast.

// Set as properties only where the property is writable; the others become attributes.
const ATTRIBUTES_ONLY = new Set(["list", "form"]);

// h("button.big.pass", {onclick, "aria-pressed": "true"}, "合格") or
// h("button", {class: ["primary", busy && "busy"], text: "保存", on: {click}, dataset: {testid: "save"}}).
// The tag may carry classes after dots; `class` (a string or a list) adds to them; `text` sets the
// text; `on: {event: fn}` or `onevent: fn` listen; `dataset` and an object `style` are merged in.
export function h(spec, attrs = {}, ...children) {
  const [tag, ...classes] = spec.split(".");
  const node = document.createElement(tag || "div");
  if (classes.length) node.className = classes.join(" ");
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") {
      const added = Array.isArray(value) ? value : [value];
      node.className = [node.className, ...added].filter(Boolean).join(" ");
    } else if (key === "text") node.textContent = String(value);
    else if (key === "on") for (const [event, fn] of Object.entries(value)) node.addEventListener(event, fn);
    else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key === "style" && typeof value === "object") Object.assign(node.style, value);
    else if (key in node && !key.includes("-") && !ATTRIBUTES_ONLY.has(key)) node[key] = value;
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  append(node, children);
  return node;
}

// Replace a node's children; arrays (from .map) are flattened, null/undefined/false skipped.
export function fill(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
}

// Save a Blob as a file named `name` through a temporary link (a PDF, a spreadsheet, an export).
export function saveFile(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = h("a", { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

let toastTimer = null;

// A short message in the page's #toast box (kind: info, success, error).
export function toast(message, { kind = "info", timeout = 3500 } = {}) {
  const box = document.getElementById("toast");
  if (!box) return;
  box.textContent = message;
  box.className = `toast show ${kind}`;
  clearTimeout(toastTimer);
  if (timeout) toastTimer = setTimeout(() => (box.className = "toast"), timeout);
}

export function hideToast() {
  const box = document.getElementById("toast");
  if (box) box.className = "toast";
}
