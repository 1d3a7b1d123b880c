// Shared by the public pages: one date format (2026年12月14日, Beijing time) and table cells that
// carry their column name, so a table can become cards on a narrow screen.

const DAY = new Intl.DateTimeFormat("zh-CN", { timeZone: "Asia/Shanghai", year: "numeric", month: "long", day: "numeric" });

// "2026-12-14" or an ISO timestamp → "2026年12月14日"; nothing → "—".
export function zhDate(value) {
  if (!value) return "—";
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (day) return `${Number(day[1])}年${Number(day[2])}月${Number(day[3])}日`;
  const moment = new Date(value);
  return Number.isNaN(moment.getTime()) ? "—" : DAY.format(moment);
}

export function el(tag, text, attrs = {}) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  return node;
}

// A <tr> of cells; `columns` = [[label, (item) => text]]. Text goes in as textContent only.
export function row(item, columns, attrs = {}) {
  const tr = el("tr", null, attrs);
  for (const [label, value] of columns) tr.append(el("td", value(item) ?? "", { "data-label": label }));
  return tr;
}

// A table whose rows turn into labelled cards under 600 px (public.css, class "cards").
export function cardTable(testid, columns, items, empty, rowAttrs = () => ({})) {
  const table = el("table", null, { class: "cards", "data-testid": testid });
  const head = el("tr");
  for (const [label] of columns) head.append(el("th", label, { scope: "col" }));
  const body = el("tbody");
  body.append(...items.map((item) => row(item, columns, rowAttrs(item))));
  if (!items.length) {
    const td = el("td", empty, { class: "empty" });
    td.colSpan = columns.length;
    body.append(el("tr", null, { class: "empty" }));
    body.lastChild.append(td);
  }
  const thead = el("thead");
  thead.append(head);
  table.append(thead, body);
  return table;
}
