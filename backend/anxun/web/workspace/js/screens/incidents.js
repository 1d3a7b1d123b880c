// 事故报告: incidents in the jurisdiction, latest first; a late quick report is flagged red.
import { api } from "../api.js";
import { href } from "../routes.js";
import { badge, fill, fmtDateTime, h, showProblem, table } from "../ui.js";

export async function mount(container) {
  const box = h("div");
  fill(container, h("div", { class: "screen-head" }, h("h1", { text: "事故报告" }), h("span", { class: "muted", text: "快报时限按服务器收到时间计算" })), box);
  const result = await api("GET", "/api/v1/incidents");
  if (!result.ok) return showProblem(box, result.problem);
  fill(
    box,
    table(
      [
        { key: "occurred_at", label: "发生时间", render: (row) => fmtDateTime(row.occurred_at) },
        { key: "enterprise_name", label: "企业" },
        { key: "title", label: "事故", render: (row) => h("a", { href: href("incident", row.id), dataset: { testid: "incident-link" } }, row.title) },
        { key: "category", label: "类别", render: (row) => row.category.label },
        { key: "casualties", label: "伤亡", render: (row) => `死亡 ${row.deaths} / 受伤 ${row.injuries} / 失踪 ${row.missing}` },
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
      result.data.items,
      {
        testid: "incidents-table",
        rowAttrs: (row) => ({ class: row.is_late ? "late" : "", dataset: { incidentId: String(row.id), late: String(row.is_late), testid: "incident-row" } }),
        empty: "暂无事故报告",
      },
    ),
  );
}
