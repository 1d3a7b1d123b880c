// One audit run: engagement, inspections, findings; the auditor records findings and signs; anyone
// who sees the run downloads the signed PDF and sees whether it still verifies.
import { api, download } from "../api.js";
import { hasRole } from "../session.js";
import { enumBadge, fill, fmtDate, fmtDateTime, h, showProblem, table, toast } from "../ui.js";

const FINDINGS = [
  { key: "title", label: "问题" },
  { key: "item_id", label: "检查项", render: (r) => itemCell(r) },
  { key: "proposed_level", label: "建议等级", render: (r) => enumBadge(r.proposed_level) },
  { key: "state", label: "隐患状态", render: (r) => enumBadge(r.state) },
  { key: "reported_at", label: "发现时间", render: (r) => fmtDateTime(r.reported_at) },
];
// The item's wording first; its code (HC-D-05) only in small print for looking it up.
function itemCell(finding) {
  if (!finding.item_id) return "—";
  return h("span", {}, finding.item_text || "检查项", " ", h("small", { class: "muted", text: finding.item_id }));
}

const INSPECTIONS = [
  { key: "finished_at", label: "完成时间", render: (r) => fmtDateTime(r.finished_at) },
  { key: "inspector_name", label: "检查人" },
  { key: "summary", label: "结果", render: (r) => `合格 ${r.summary.pass ?? 0} · 不合格 ${r.summary.fail ?? 0} · 不适用 ${r.summary.na ?? 0}` },
];

function findingForm(run, status, reload) {
  const title = h("input", { name: "title", required: true, maxlength: 300, dataset: { testid: "finding-title" } });
  const basis = h("input", { name: "basis", maxlength: 500, dataset: { testid: "finding-basis" } });
  const level = h("select", { name: "proposed_level" }, h("option", { value: "general", text: "一般隐患" }), h("option", { value: "major", text: "重大隐患" }));
  const form = h("form", { class: "card", dataset: { testid: "finding-form" } },
    h("h2", { text: "记录发现的问题", style: { marginTop: 0 } }),
    h("label", {}, "问题 ", title), " ", h("label", {}, "依据 ", basis), " ", h("label", {}, "等级 ", level), " ",
    h("button", { type: "submit", text: "记录", dataset: { testid: "finding-submit" } }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const result = await api("POST", `/api/v1/audit-runs/${run.id}/findings`, { title: title.value, basis: basis.value, proposed_level: level.value });
    if (!result.ok) return showProblem(status, result.problem);
    toast("已记录，企业将确认该隐患。");
    reload();
  });
  return form;
}

function signForm(run, status, reload) {
  const conclusion = h("textarea", { name: "conclusion", rows: 4, required: true, dataset: { testid: "sign-conclusion" } });
  const form = h("form", { class: "card", dataset: { testid: "sign-form" } },
    h("h2", { text: "签署审核报告", style: { marginTop: 0 } }),
    h("p", { class: "muted", text: "签署后生成带机构数字签名的 PDF，审核记录不可再修改。" }),
    h("label", {}, "审核结论 ", conclusion),
    h("div", {}, h("button", { type: "submit", text: "签署报告", dataset: { testid: "sign-submit" } })));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const result = await api("POST", `/api/v1/audit-runs/${run.id}/signature`, { conclusion: conclusion.value, expected_state: run.state.code });
    if (!result.ok) return showProblem(status, result.problem);
    toast("报告已签署。");
    reload();
  });
  return form;
}

async function signedBox(run) {
  const check = await api("GET", `/api/v1/audit-runs/${run.id}/verification`);
  const verdict = check.ok
    ? h("p", { dataset: { testid: "verification", ok: String(check.data.ok) }, class: check.data.ok ? "" : "error", text: `${check.data.ok ? "✔" : "✘"} ${check.data.message}` })
    : h("p", { class: "muted", text: "无法验证。" });
  const button = h("button", { type: "button", text: "下载签署的报告 (PDF)", dataset: { testid: "report-download" } });
  button.addEventListener("click", () => download(`/api/v1/audit-runs/${run.id}/report.pdf`, `audit-report-${run.id}.pdf`));
  return h("div", { class: "card", dataset: { testid: "signed-box" } },
    h("h2", { text: "已签署的审核报告", style: { marginTop: 0 } }),
    h("p", { text: `签署人：${run.signed_by || "—"}　签署时间：${fmtDateTime(run.signed_at)}` }),
    h("p", { class: "muted", text: `SHA-256：${run.report_sha256}` }),
    h("p", { class: "muted", text: `证书指纹：${run.signer_fingerprint}` }),
    h("p", { text: `结论：${run.conclusion}` }),
    verdict, button);
}

export async function mount(container, { arg }) {
  const status = h("div");
  const reload = async () => {
    const result = await api("GET", `/api/v1/audit-runs/${arg}`);
    if (!result.ok) return fill(container, status), showProblem(status, result.problem);
    const run = result.data;
    const mine = hasRole("auditor") && run.state.code === "open";
    const e = run.engagement;
    fill(container,
      h("h1", { text: run.title }),
      status,
      h("p", { dataset: { testid: "run-state" } }, enumBadge(run.state)),
      h("dl", { class: "facts" },
        h("dt", { text: "受审核企业" }), h("dd", { text: run.enterprise_name }),
        h("dt", { text: "受托机构" }), h("dd", { text: run.agency_name }),
        h("dt", { text: "委托" }), h("dd", { text: `${e.title}（${e.commissioning_party}，${fmtDate(e.valid_from)}—${fmtDate(e.valid_to)}）` }),
        h("dt", { text: "审核范围" }), h("dd", { text: run.scope || "—" }),
        h("dt", { text: "审核方法" }), h("dd", { text: run.method || "—" })),
      h("h2", { text: "现场检查" }),
      run.inspections.length ? table(INSPECTIONS, run.inspections, { testid: "run-inspections" }) : h("p", { class: "muted", text: "尚无检查记录（审核员用移动端检查表提交时选择本次审核）。" }),
      h("h2", { text: "发现的问题" }),
      run.findings.length ? table(FINDINGS, run.findings, { testid: "run-findings" }) : h("p", { class: "muted", text: "尚未记录问题。" }),
      mine ? findingForm(run, status, reload) : null,
      mine ? signForm(run, status, reload) : null,
      run.state.code === "signed" ? await signedBox(run) : null);
  };
  fill(container, h("p", { class: "muted", text: "加载中…" }));
  await reload();
}
