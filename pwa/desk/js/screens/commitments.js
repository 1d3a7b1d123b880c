// 安全承诺 (regulators): today's daily safety commitment of every hazardous-chemicals enterprise
// in the jurisdiction — who has not committed after the cut-off first, then each one's status,
// signer, time and self-assessed risk, with a link to its public board.
import { api } from "../api.js";
import { href } from "../routes.js";
import { badge, fill, fmtDate, fmtDateTime, h, showProblem, table } from "../ui.js";

const STATUS_COLOURS = { on_time: "green", late: "orange", missing: "red", pending: "none" };

export async function mount(container) {
  const body = h("div", {}, h("p", { class: "muted", text: "正在读取…" }));
  fill(container, h("div", { class: "screen-head" }, h("h1", { text: "今日安全承诺" })), body);
  const result = await api("GET", "/api/v1/commitments/today");
  if (!container.isConnected) return;
  if (!result.ok) return showProblem(body, result.problem);
  const today = result.data;
  fill(
    body,
    h("p", { class: "muted", text: `${fmtDate(today.commit_date)}，危险化学品企业应于北京时间 ${today.cutoff} 前由主要负责人签署安全承诺；逾时签署为迟报。` }),
    h("h2", { text: `截止时间已过仍未承诺：${today.missing.length} 家` }),
    h(
      "p",
      { dataset: { testid: "commitments-missing" } },
      today.missing.length ? today.missing.map((e, n) => [n ? "、" : "", h("a", { href: href("enterprise", e.id), text: e.name })]) : "无",
    ),
    table(
      [
        { key: "enterprise", label: "企业", render: (row) => h("a", { href: href("enterprise", row.enterprise.id), text: row.enterprise.name }) },
        { key: "status", label: "状态", render: (row) => badge(STATUS_COLOURS[row.status.code] || "none", row.status.label) },
        { key: "signer", label: "签署人", render: (row) => row.commitment?.signer_name || "—" },
        { key: "signed_at", label: "签署时间", render: (row) => (row.commitment ? fmtDateTime(row.commitment.signed_at) : "—") },
        { key: "risk", label: "风险研判", render: (row) => row.commitment?.risk_grade.label || "—" },
        { key: "board", label: "公告牌", render: (row) => h("a", { href: `/public/commitments/${row.enterprise.id}`, target: "_blank", rel: "noopener", text: "查看" }) },
      ],
      today.items,
      { testid: "commitments-table", empty: "辖区内没有危险化学品企业", rowAttrs: (row) => ({ dataset: { testid: "commitment-row", id: String(row.enterprise.id) } }) },
    ),
  );
}
