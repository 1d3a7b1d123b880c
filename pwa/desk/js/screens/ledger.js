// 隐患台账 (enterprise desk): every hazard of the enterprise, filtered (state, level, overdue, place,
// source, category, period, text), counts per state on top, overdue rows in red; the ledger's PDF
// and Excel for the chosen period (the documents GET /enterprises/<id>/hazard-ledger.* renders).
import { api, download } from "../api.js";
import { href, replaceQuery } from "../routes.js";
import { enterpriseId } from "../session.js";
import { badge, codeOf, enumBadge, fill, fmtDate, fmtDateTime, h, labelOf, showProblem, table, toast } from "../ui.js";

const PAGE = 50;
const LEVEL_COLOUR = { major: "red", general: "yellow" };
const STATES = [
  ["reported", "已上报"],
  ["confirmed", "已确认"],
  ["rectifying", "整改中"],
  ["pending_verification", "待验收"],
  ["awaiting_signoff", "待核销"],
  ["closed", "已销号"],
  ["rejected", "已驳回"],
];
const LEVELS = [
  ["general", "一般隐患"],
  ["major", "重大隐患"],
];
const SOURCES = [
  ["self_inspection", "企业自查"],
  ["direct", "随手拍上报"],
  ["regulator", "监管检查"],
  ["agency", "第三方审核"],
];
const CATEGORIES = [
  ["thing", "物的不安全状态"],
  ["behaviour", "人的不安全行为"],
  ["management", "管理上的缺陷"],
  ["environment", "环境不良因素"],
];
const FILTERS = ["state", "level", "overdue", "assigned", "place_id", "source", "category", "from", "to", "q"];

export function levelBadge(row) {
  if (row.level) return badge(LEVEL_COLOUR[codeOf(row.level)] || codeOf(row.level), labelOf(row.level));
  return h("span", { class: "muted", text: `${labelOf(row.proposed_level)}（待确认）` });
}

const COLUMNS = [
  { key: "title", label: "隐患", render: (r) => h("a", { href: href("hazard", r.id), text: r.title, dataset: { testid: "ledger-open" } }) },
  { key: "state", label: "状态", render: (r) => enumBadge(r.state) },
  { key: "level", label: "等级", render: levelBadge },
  { key: "category", label: "类别", render: (r) => labelOf(r.category) || "—" },
  { key: "source", label: "来源", render: (r) => labelOf(r.source) },
  { key: "place", label: "位置", render: (r) => r.place_name || "—" },
  { key: "responsible", label: "整改责任人", render: (r) => r.responsible_name || "—" },
  {
    key: "deadline",
    label: "整改期限",
    render: (r) => h("span", { class: r.is_overdue ? "overdue" : "", text: r.deadline ? fmtDate(r.deadline) : "—" }, r.is_overdue ? [" ", badge("alert", "已逾期")] : null),
  },
  { key: "reported_at", label: "发现时间", render: (r) => fmtDateTime(r.reported_at) },
];

function select(name, label, options, value) {
  return h(
    "label",
    { class: "filter" },
    label,
    h(
      "select",
      { name, dataset: { testid: `ledger-filter-${name}` } },
      h("option", { value: "", text: "全部" }),
      options.map(([code, text]) => h("option", { value: code, text, selected: value === code })),
    ),
  );
}

export async function mount(container, { query }) {
  const enterprise = enterpriseId();
  const owner = { screen: "ledger", arg: null };
  const filters = Object.fromEntries(FILTERS.map((key) => [key, query[key] || ""]));
  const counts = h("div", { class: "state-counts", dataset: { testid: "ledger-counts" } });
  const status = h("div");
  const holder = h("div", { dataset: { testid: "ledger-list" } });
  const more = h("div", { style: { marginTop: "0.5rem" } });
  let alive = true;
  let ticket = 0;
  let rows = [];

  const places = await api("GET", `/api/v1/enterprises/${enterprise}/places?limit=200`);
  if (!alive) return undefined;
  const placeOptions = places.ok ? (places.data.items || places.data).map((p) => [String(p.id), p.name]) : [];

  const form = h(
    "form",
    {
      class: "filters card",
      dataset: { testid: "ledger-filters" },
      on: {
        submit: (event) => {
          event.preventDefault();
          const data = new FormData(form);
          for (const key of FILTERS) filters[key] = String(data.get(key) || "").trim();
          replaceQuery(owner, filters);
          reload();
        },
      },
    },
    select("state", "状态", STATES, filters.state),
    select("level", "等级", LEVELS, filters.level),
    select("source", "来源", SOURCES, filters.source),
    select("category", "类别", CATEGORIES, filters.category),
    select("place_id", "位置", placeOptions, filters.place_id),
    h("label", { class: "filter" }, "发现日期起", h("input", { type: "date", name: "from", value: filters.from, dataset: { testid: "ledger-filter-from" } })),
    h("label", { class: "filter" }, "止", h("input", { type: "date", name: "to", value: filters.to, dataset: { testid: "ledger-filter-to" } })),
    h("label", { class: "filter" }, "关键词", h("input", { type: "search", name: "q", value: filters.q, placeholder: "标题或描述", dataset: { testid: "ledger-filter-q" } })),
    h("label", { class: "filter check" }, h("input", { type: "checkbox", name: "overdue", value: "true", checked: filters.overdue === "true", dataset: { testid: "ledger-filter-overdue" } }), "仅逾期"),
    h("label", { class: "filter check" }, h("input", { type: "checkbox", name: "assigned", value: "me", checked: filters.assigned === "me", dataset: { testid: "ledger-filter-assigned" } }), "我负责整改的"),
    h("button", { type: "submit", class: "primary", text: "筛选", dataset: { testid: "ledger-apply" } }),
  );

  async function exportLedger(kind) {
    const query = new URLSearchParams(Object.entries({ from: filters.from, to: filters.to }).filter(([, v]) => v));
    const path = `/api/v1/enterprises/${enterprise}/hazard-ledger.${kind}${query.size ? `?${query}` : ""}`;
    const result = await download(path, `隐患台账.${kind}`);
    if (!result.ok) toast(result.problem?.detail || result.problem?.title || "导出失败", { kind: "error" });
  }

  const exports = h(
    "div",
    { class: "actions" },
    h("span", { class: "muted", text: "导出所选时段的台账（未选时段为本月）：" }),
    h("button", { type: "button", class: "secondary", text: "导出 PDF", dataset: { testid: "ledger-export-pdf" }, on: { click: () => exportLedger("pdf") } }),
    h("button", { type: "button", class: "secondary", text: "导出 Excel", dataset: { testid: "ledger-export-xlsx" }, on: { click: () => exportLedger("xlsx") } }),
  );

  fill(container, h("h1", { text: "隐患台账" }), form, counts, exports, status, holder, more);

  function listQuery(extra) {
    const params = new URLSearchParams({ enterprise_id: String(enterprise) });
    for (const key of FILTERS) if (filters[key]) params.set(key, filters[key]);
    for (const [key, value] of Object.entries(extra || {})) params.set(key, value);
    return params;
  }

  function renderCounts(data) {
    const current = filters.state;
    fill(
      counts,
      h("a", { href: href("ledger", null, { ...filters, state: "" }), class: current ? "" : "active", dataset: { testid: "ledger-count-total" } }, "全部 ", h("strong", { text: String(data.total) })),
      STATES.map(([code, label]) =>
        h(
          "a",
          { href: href("ledger", null, { ...filters, state: code }), class: current === code ? "active" : "", dataset: { testid: `ledger-count-${code}` } },
          `${label} `,
          h("strong", { text: String(data.states[code] || 0) }),
        ),
      ),
      data.overdue ? h("span", { class: "overdue", dataset: { testid: "ledger-count-overdue" } }, "逾期 ", h("strong", { text: String(data.overdue) })) : null,
    );
  }

  function render() {
    fill(
      holder,
      table(COLUMNS, rows, {
        testid: "ledger-table",
        empty: "没有符合条件的隐患。",
        rowAttrs: (row) => ({ class: row.is_overdue ? "alert" : "", dataset: { testid: "ledger-row", id: row.id, state: codeOf(row.state) } }),
      }),
    );
  }

  async function load(cursor, mine) {
    const result = await api("GET", `/api/v1/hazards?${listQuery({ limit: String(PAGE), ...(cursor ? { cursor } : {}) })}`);
    if (!alive || mine !== ticket) return;
    fill(more);
    if (!result.ok) return showProblem(status, result.problem);
    rows.push(...result.data.items);
    render();
    const next = result.data.next_cursor;
    if (next) fill(more, h("button", { type: "button", class: "secondary", text: "加载更多", dataset: { testid: "ledger-more" }, on: { click: () => load(next, mine) } }));
  }

  async function loadCounts(mine) {
    const params = listQuery();
    params.delete("state");
    const result = await api("GET", `/api/v1/hazards/counts?${params}`);
    if (!alive || mine !== ticket) return;
    if (result.ok) renderCounts(result.data);
    else fill(counts);
  }

  function reload() {
    const mine = ++ticket;
    rows = [];
    fill(status);
    fill(holder, h("p", { class: "muted", text: "正在加载…" }));
    return Promise.all([load(null, mine), loadCounts(mine)]);
  }

  // A click on a count changes the hash; the router re-mounts the screen with the new query.
  await reload();
  return () => {
    alive = false;
  };
}
