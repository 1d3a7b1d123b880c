// The desk's screen helpers: tables, problems, dates and badges; the element builder and toasts
// come from the shared toolkit (../../shared/).
import { fill, h } from "../../shared/dom.js";
import { problemParts } from "../../shared/problems.js";

export { fill, h, toast } from "../../shared/dom.js";
export { codeOf, labelOf } from "../../shared/codes.js";

// table([{key, label, render?(row), sortable?}], rows, {sort, onSort(key), rowAttrs?(row), testid?})
// sort is {key, dir: "asc"|"desc"}; a sortable header calls onSort(key) when clicked.
export function table(columns, rows, options = {}) {
  const { sort, onSort, rowAttrs, testid, empty = "暂无数据" } = options;
  const head = h(
    "tr",
    {},
    columns.map((col) => {
      const active = sort && sort.key === col.key;
      const arrow = active ? (sort.dir === "desc" ? " ▼" : " ▲") : "";
      const canSort = onSort && col.sortable !== false;
      return h(
        "th",
        {
          class: [canSort && "sortable", active && "sorted"],
          "aria-sort": active ? (sort.dir === "desc" ? "descending" : "ascending") : undefined,
          dataset: { key: col.key, testid: `th-${col.key}` },
          on: canSort ? { click: () => onSort(col.key) } : undefined,
        },
        col.label + arrow,
      );
    }),
  );
  const body = rows.length
    ? rows.map((row) =>
        h(
          "tr",
          rowAttrs ? rowAttrs(row) : {},
          columns.map((col) => {
            const value = col.render ? col.render(row) : row[col.key];
            return h("td", { dataset: { key: col.key } }, value ?? "");
          }),
        ),
      )
    : [h("tr", {}, h("td", { colspan: columns.length, class: "muted empty", text: empty }))];
  return h(
    "table",
    { class: "grid", dataset: testid ? { testid } : {} },
    h("thead", {}, head),
    h("tbody", {}, body),
  );
}

// What a person calls the field a server error names: the label of the form control of that name
// near the message (its form, else the page), never the API's field code; null when no control
// has that name (a rule about who acts, "actor"), and the message then stands alone.
function fieldLabel(container, field) {
  const name = String(field || "").split(/[.[]/)[0];
  if (!name) return null;
  const scope = container.closest("form") || container.closest("section") || document;
  const control = scope.querySelector(`[name="${CSS.escape(name)}"]`);
  if (!control) return null;
  const label = control.labels?.[0]?.cloneNode(true);
  // The label's own words: a control inside the label (a select's options) is not part of them.
  label?.querySelectorAll("input, select, textarea, button").forEach((inner) => inner.remove());
  const text = label?.textContent || control.getAttribute("aria-label") || "";
  return text.replace(/[\s*：:]+$/u, "").trim() || null;
}

// Render a problem+json body (title, detail, field messages) into a container (replaces it).
export function showProblem(container, problem) {
  const { title, detail, errors } = problemParts(problem || {});
  return fill(
    container,
    h(
      "div",
      { class: "problem", role: "alert", dataset: { testid: "problem" } },
      h("strong", { text: title }),
      detail ? h("p", { text: detail }) : null,
      errors.length
        ? h(
            "ul",
            {},
            errors.map((e) => {
              const label = fieldLabel(container, e.field);
              return h("li", { dataset: { field: e.field || "" } }, label ? `${label}：${e.message}` : e.message);
            }),
          )
        : null,
    ),
  );
}

const DATE = new Intl.DateTimeFormat("zh-CN", {
  timeZone: "Asia/Shanghai",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});
const DATETIME = new Intl.DateTimeFormat("zh-CN", {
  timeZone: "Asia/Shanghai",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hour12: false,
});

function parse(iso) {
  if (!iso) return null;
  // Server timestamps are UTC; a bare date-time without offset is treated as UTC too.
  const text = /T\d\d:\d\d(:\d\d(\.\d+)?)?$/.test(iso) ? `${iso}Z` : iso;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function fmtDate(iso) {
  if (iso && /^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  const date = parse(iso);
  return date ? DATE.format(date).replaceAll("/", "-") : "—";
}

export function fmtDateTime(iso) {
  const date = parse(iso);
  return date ? DATETIME.format(date).replaceAll("/", "-") : "—";
}

// A small coloured label; the code becomes a CSS class (badge-red, badge-issued, …).
export function badge(code, label) {
  return h("span", { class: `badge badge-${code || "none"}`, dataset: { code: code || "" } }, label || code || "—");
}

// Read a {code, label} enum (or a plain string) as a badge.
export function enumBadge(value) {
  if (!value) return badge("none", "—");
  return typeof value === "string" ? badge(value, value) : badge(value.code, value.label);
}
