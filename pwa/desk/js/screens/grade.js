// 等级评估 (enterprise desk): the enterprise's own grade and 成效评估, explained line by line with
// the same rendering the regulator's drill-down uses, and the stored daily grades of late.
import { api } from "../api.js";
import { enterpriseId } from "../session.js";
import { badge, fill, fmtDate, h, showProblem, table } from "../ui.js";
import { gradeExplanation } from "./enterprise-risk.js";

const COLOURS = { red: "红", orange: "橙", yellow: "黄", blue: "蓝" };

export async function mount(container) {
  const body = h("div", { dataset: { testid: "grade-body" } }, h("p", { class: "muted", text: "正在计算…" }));
  fill(container, h("h1", { text: "等级评估" }), h("p", { class: "muted", text: "与监管部门看到的是同一份评定和说明，按当日数据实时计算。" }), body);
  const result = await api("GET", `/api/v1/enterprises/${enterpriseId()}/grade`);
  if (!container.isConnected) return;
  if (!result.ok) return showProblem(body, result.problem);
  const grade = result.data;
  const days = [...(grade.history || [])].reverse().slice(0, 30);
  fill(
    body,
    gradeExplanation(grade),
    h("h2", { text: "近期每日评定" }),
    table(
      [
        { key: "day", label: "日期", render: (d) => fmtDate(d.day) },
        { key: "score", label: "得分", render: (d) => d.score ?? "—" },
        { key: "colour", label: "等级", render: (d) => (d.colour ? badge(d.colour, `${COLOURS[d.colour] || d.colour}色`) : "—") },
      ],
      days,
      { testid: "grade-history", empty: "暂无历史评定。" },
    ),
  );
}
