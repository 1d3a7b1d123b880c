// 标准变更: what new checklist versions asked the jurisdiction's enterprises to re-judge — per
// enterprise, open hazards to re-grade (the head decides), plans to adjust, and items done.
import { api } from "../api.js";
import { href } from "../routes.js";
import { badge, codeOf, fill, fmtDateTime, h, labelOf, showProblem, table } from "../ui.js";

function changeLine(change) {
  const s = change.summary || {};
  const parts =
    codeOf(change.kind) === "band_table"
      ? [`核对现行评估 ${s.assessments_checked ?? 0}`, `等级改变 ${s.level_changes ?? 0}`]
      : [`新增 ${s.added ?? 0}`, `删除 ${s.removed ?? 0}`, `修改 ${s.changed ?? 0}`];
  return `${labelOf(change.kind)}“${change.title}” ${change.old_label} → ${change.new_label}（${parts.join("，")}）`;
}

const heading = () =>
  h("div", { class: "screen-head" }, h("h1", { text: "标准变更" }), h("span", { class: "muted", text: "新版检查表或分级表施行后需重新判定的事项；隐患等级由企业主要负责人重新判定。" }));

export async function mount(container) {
  const problemBox = h("div");
  fill(
    container,
    heading(),
    problemBox,
  );
  const result = await api("GET", "/api/v1/standard-changes/summary");
  if (!result.ok) return showProblem(problemBox, result.problem);
  const { enterprises, changes } = result.data;
  fill(
    container,
    heading(),
    problemBox,
    h(
      "ul",
      { dataset: { testid: "standard-changes" } },
      changes.length
        ? changes.map((c) => h("li", { dataset: { testid: "standard-change" } }, changeLine(c), h("span", { class: "muted", text: ` · ${fmtDateTime(c.created_at)}` })))
        : h("li", { class: "muted", text: "暂无标准变更" }),
    ),
    table(
      [
        { key: "enterprise_name", label: "企业", render: (row) => h("a", { href: href("enterprise", row.enterprise_id) }, row.enterprise_name) },
        { key: "open_hazards", label: "待重新定级隐患", render: (row) => (row.open_hazards ? badge("orange", String(row.open_hazards)) : "0") },
        { key: "open_plans", label: "待调整排查任务" },
        { key: "open_assessments", label: "待重新评估风险" },
        { key: "resolved", label: "已处理" },
      ],
      enterprises,
      {
        testid: "rejudge-table",
        rowAttrs: (row) => ({ dataset: { testid: "rejudge-row", enterpriseId: String(row.enterprise_id), open: String(row.open_total) } }),
        empty: "辖区内暂无需重新判定的事项",
      },
    ),
  );
}
