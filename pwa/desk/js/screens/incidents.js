// 事故报告: incidents in the jurisdiction, newest occurrence first; a late quick report and a
// follow-up with more casualties (补报) are flagged red and can be filtered (server-side).
import { api } from "../api.js";
import { href, replaceQuery } from "../routes.js";
import { badge, fill, fmtDateTime, h, showProblem, table } from "../ui.js";

const FILTERS = [
  ["late", "只看快报超时"],
  ["escalated", "只看伤亡人数上升（补报）"],
];

// Newest occurrence first, then the latest quick report (the server's order, kept explicit).
export function newestFirst(items) {
  const time = (iso) => new Date(iso).getTime();
  return [...items].sort(
    (a, b) => time(b.occurred_at) - time(a.occurred_at) || time(b.first_reported_at) - time(a.first_reported_at),
  );
}

export async function mount(container, { query = {} } = {}) {
  const box = h("div");
  const checks = Object.fromEntries(
    FILTERS.map(([key]) => [key, h("input", { type: "checkbox", name: key, checked: query[key] === "true", dataset: { testid: `filter-${key}` } })]),
  );
  const filters = h(
    "div",
    { class: "filters", dataset: { testid: "incident-filters" } },
    FILTERS.map(([key, text]) => h("label", { style: { flexDirection: "row", alignItems: "center" } }, checks[key], ` ${text}`)),
  );
  fill(container, h("div", { class: "screen-head" }, h("h1", { text: "事故报告" }), h("span", { class: "muted", text: "快报时限按服务器收到时间计算" })), filters, box);

  async function reload() {
    const wanted = Object.fromEntries(FILTERS.filter(([key]) => checks[key].checked).map(([key]) => [key, "true"]));
    replaceQuery({ screen: "incidents" }, wanted);
    const search = new URLSearchParams(wanted).toString();
    const result = await api("GET", `/api/v1/incidents${search ? `?${search}` : ""}`);
    if (!result.ok) return showProblem(box, result.problem);
    fill(
      box,
      table(
        [
          { key: "occurred_at", label: "发生时间", render: (row) => fmtDateTime(row.occurred_at) },
          {
            key: "enterprise_name",
            label: "企业",
            render: (row) => h("a", { href: href("enterprise", row.enterprise_id), dataset: { testid: "incident-enterprise-link" } }, row.enterprise_name),
          },
          { key: "title", label: "事故", render: (row) => h("a", { href: href("incident", row.id), dataset: { testid: "incident-link" } }, row.title) },
          { key: "category", label: "类别", render: (row) => row.category.label },
          {
            key: "casualties",
            label: "伤亡",
            render: (row) => [
              `死亡 ${row.deaths} / 受伤 ${row.injuries} / 失踪 ${row.missing}`,
              row.is_escalated ? [" ", badge("red", "续报上升")] : null,
            ],
          },
          { key: "first_reported_at", label: "快报时间", render: (row) => fmtDateTime(row.first_reported_at) },
          {
            key: "is_late",
            label: "快报时限",
            render: (row) =>
              row.is_late
                ? badge("red", `超时（${row.minutes_to_first_report} 分钟 > ${row.limit_minutes}）`)
                : badge("green", `按时（${row.minutes_to_first_report} 分钟）`),
          },
          { key: "report_count", label: "报告次数" },
        ],
        newestFirst(result.data.items),
        {
          sort: { key: "occurred_at", dir: "desc" },
          testid: "incidents-table",
          rowAttrs: (row) => ({
            class: row.is_late || row.is_escalated ? "late" : "",
            dataset: { incidentId: String(row.id), late: String(row.is_late), escalated: String(row.is_escalated), testid: "incident-row" },
          }),
          empty: Object.keys(wanted).length ? "没有符合筛选条件的事故报告" : "暂无事故报告",
        },
      ),
    );
  }

  for (const check of Object.values(checks)) check.addEventListener("change", reload);
  await reload();
}
