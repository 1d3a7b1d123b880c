// One special-work permit, read-only: the facts, measures, gas readings, signatures and history,
// and its printable PDF.
import { api, download } from "../api.js";
import { badge, fill, fmtDateTime, h, showProblem, table } from "../ui.js";

function facts(p) {
  const rows = [
    ["作业票编号", p.number],
    ["类别及级别", p.label],
    ...(p.grade_note ? [["级别说明", p.grade_note]] : []),
    ...(p.work_method ? [["作业方式", p.work_method]] : []),
    ["状态", p.state.label],
    ["地点", p.place.name],
    ["作业内容", p.content],
    ["有效期", `${fmtDateTime(p.valid_from)} 至 ${fmtDateTime(p.valid_to)}`],
    ...(p.state.code === "active" && p.reanalysis_due_at ? [["下次复检", `${fmtDateTime(p.reanalysis_due_at)} 前`]] : []),
    ["申请人", p.applicant],
    ["监护人", p.guardian],
    ["作业人员", p.workers.map((w) => `${w.name}（${w.certificate_no || "无证号"}）`).join("、")],
    ["关联作业票", p.related_permit ? `${p.related_permit.label} ${p.related_permit.number}` : "—"],
  ];
  return h("dl", { class: "facts", dataset: { testid: "permit-facts" } }, rows.map(([k, v]) => [h("dt", { text: k }), h("dd", { text: v })]));
}

export async function mount(container, { arg }) {
  const box = h("div");
  fill(container, h("div", { class: "screen-head" }, h("h1", { text: "特殊作业票" })), box);
  const result = await api("GET", `/api/v1/permits/${encodeURIComponent(arg)}`);
  if (!result.ok) return showProblem(box, result.problem);
  const p = result.data;
  const pdf = h("button", { text: "下载作业票 PDF", dataset: { testid: "permit-pdf" }, on: { click: () => download(`/api/v1/permits/${p.id}/permit.pdf`, `作业票-${p.number}.pdf`) } });
  fill(
    box,
    h("p", {}, badge(p.state.code, p.state.label), " ", p.is_reanalysis_missed ? badge("red", "未按时复检") : null, " ", pdf),
    facts(p),
    h("h2", { text: "安全措施" }),
    table(
      [
        { key: "code", label: "编号" },
        { key: "text", label: "措施" },
        { key: "is_met", label: "确认", render: (m) => (m.is_met === null ? "未确认" : m.is_met ? "已落实" : badge("red", "未落实")) },
        { key: "confirmed_by", label: "确认人" },
      ],
      p.measures,
    ),
    h("h2", { text: "气体分析" }),
    table(
      [
        { key: "taken_at", label: "取样时间", render: (r) => fmtDateTime(r.taken_at) },
        { key: "judgement", label: "结果", render: (r) => (r.is_within_limit ? r.judgement : badge("red", r.judgement)) },
        { key: "limit", label: "合格标准" },
        { key: "analyst_name", label: "分析人" },
        { key: "instrument", label: "仪器" },
      ],
      p.readings,
      { testid: "permit-readings", empty: "无气体分析数据" },
    ),
    h("h2", { text: "审批" }),
    table(
      [
        { key: "label", label: "层级" },
        { key: "approver", label: "审批人", render: (s) => s.approver || "待审批" },
      ],
      p.approval_steps,
    ),
    h("h2", { text: "过程记录" }),
    table(
      [
        { key: "created_at", label: "时间", render: (t) => fmtDateTime(t.created_at) },
        { key: "label", label: "事项" },
        { key: "actor", label: "签字人" },
        { key: "note", label: "说明" },
      ],
      p.transitions,
      { testid: "permit-history" },
    ),
  );
}
