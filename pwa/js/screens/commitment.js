// 安全承诺与专项整治: the head of a hazardous-chemicals enterprise signs today's 安全风险研判与承诺
// (pre-filled from yesterday and the registry); everyone sees the campaigns asking them to check.
import * as api from "../api.js";
import { currentEnterprise, roleCodes } from "../session.js";
import { formatDateTime, h, loading, problemText, screenTitle, toast, uuid } from "../ui.js";

const STATUSES = [
  ["running", "正常运行"],
  ["stopped", "停用"],
  ["maintenance", "检维修"],
];
const GRADES = [
  ["low", "低风险"],
  ["moderate", "一般风险"],
  ["high", "较大风险"],
  ["major", "重大风险"],
];
const WORK = {
  hot_work_special: "特级动火",
  hot_work_first: "一级动火",
  hot_work_second: "二级动火",
  confined_space: "受限空间",
  blinding: "盲板抽堵",
  height: "高处作业",
  lifting: "吊装作业",
  temporary_power: "临时用电",
  excavation: "动土作业",
  road_closure: "断路作业",
};

function select(options, value, attrs = {}) {
  return h("select", attrs, options.map(([code, label]) => h("option", { value: code, selected: code === value }, label)));
}

function signedCard(enterpriseId, signed) {
  return h(
    "section.card",
    { dataset: { testid: "commitment-signed" } },
    h("h2", {}, signed.is_late ? "今日已承诺（迟报）" : "今日已承诺"),
    h("p", {}, signed.content),
    h("p.small.muted", {}, `${signed.signer_name} · ${formatDateTime(signed.signed_at)} · ${signed.risk_grade.label}`),
    h("a", { href: `/public/commitments/${enterpriseId}`, target: "_blank", rel: "noopener" }, "查看公告牌"),
  );
}

function commitmentForm(enterpriseId, draft, onSigned) {
  const form = draft.form;
  const sources = form.hazard_sources.map((s) => ({ ...s, input: select(STATUSES, s.status, { "aria-label": s.name }) }));
  const work = Object.fromEntries(
    Object.keys(WORK).map((k) => [k, h("input", { type: "number", min: "0", value: String(form.special_work[k] || 0), inputMode: "numeric" })]),
  );
  const flags = Object.fromEntries(["is_startup", "is_shutdown", "is_trial_run"].map((k) => [k, h("input", { type: "checkbox", checked: Boolean(form[k]) })]));
  const maintenance = h("input", { type: "number", min: "0", value: String(form.maintenance_jobs) });
  const contractors = h("input", { type: "number", min: "0", value: String(form.contractor_jobs) });
  const grade = select(GRADES, form.risk_grade, { dataset: { testid: "commitment-grade" } });
  const content = h("textarea", { rows: 4, value: form.content, dataset: { testid: "commitment-content" } });
  const error = h("p.error", { role: "alert" });
  const sign = async () => {
    const body = {
      id: uuid(),
      enterprise_id: enterpriseId,
      hazard_sources: sources.map(({ input, ...s }) => ({ risk_object_id: s.risk_object_id, name: s.name, hazard_code: s.hazard_code || "", status: input.value })),
      special_work: Object.fromEntries(Object.entries(work).map(([k, input]) => [k, Number(input.value) || 0])),
      maintenance_jobs: Number(maintenance.value) || 0,
      contractor_jobs: Number(contractors.value) || 0,
      is_startup: flags.is_startup.checked,
      is_shutdown: flags.is_shutdown.checked,
      is_trial_run: flags.is_trial_run.checked,
      open_major_hazards: form.open_major_hazards,
      risk_grade: grade.value,
      content: content.value.trim(),
    };
    const result = await api.request("commitments", { method: "POST", json: body });
    if (!result.ok) {
      error.textContent = problemText(result);
      return;
    }
    toast("已签署今日安全承诺");
    onSigned(result.data);
  };
  return h(
    "section.card",
    { dataset: { testid: "commitment-form" } },
    h("h2", {}, `今日安全承诺（${draft.cutoff} 前签署）`),
    h("h3", {}, "重大危险源"),
    sources.length ? sources.map((s) => h("label", {}, s.name, s.input)) : h("p.small.muted", {}, "风险清单中没有重大危险源"),
    h("h3", {}, "今日特殊作业"),
    Object.entries(WORK).map(([k, label]) => h("label", {}, label, work[k])),
    h("label", {}, "检维修作业", maintenance),
    h("label", {}, "承包商作业", contractors),
    h("label", {}, flags.is_startup, " 开车"),
    h("label", {}, flags.is_shutdown, " 停车"),
    h("label", {}, flags.is_trial_run, " 试生产"),
    h("p", {}, `未消除的重大隐患：${form.open_major_hazards} 项`),
    h("label", {}, "风险研判结果", grade),
    h("label", {}, "承诺内容", content),
    error,
    h("button.big", { type: "button", onclick: sign, dataset: { testid: "commitment-sign" } }, "签署承诺"),
  );
}

async function commitmentSection(enterprise) {
  const box = h("div", {}, loading());
  const draft = await api.request(`commitments/draft?enterprise_id=${enterprise.id}`);
  if (!draft.ok) return box.replaceChildren(h("p.error", {}, problemText(draft)));
  if (draft.data.signed) return box.replaceChildren(signedCard(enterprise.id, draft.data.signed));
  box.replaceChildren(commitmentForm(enterprise.id, draft.data, (signed) => box.replaceChildren(signedCard(enterprise.id, signed))));
  return box;
}

async function campaignSection() {
  const result = await api.request("campaigns");
  if (!result.ok) return h("p.error", {}, problemText(result));
  const items = result.data.items;
  return h(
    "section.card",
    { dataset: { testid: "campaign-notices" } },
    h("h2", {}, "专项整治通知"),
    items.length
      ? items.map((c) =>
          h(
            "article",
            {},
            h("h3", {}, c.title),
            h("p.small.muted", {}, [c.document_no, c.regulator.name].filter(Boolean).join(" · ")),
            h("p", {}, c.notice_text),
            h("p.small", {}, c.my_tasks.map((t) => `自查：${t.completion.label}（截止 ${c.stages[0].end}）`).join("；")),
          ),
        )
      : h("p.small.muted", {}, "暂无专项整治"),
  );
}

export async function mount(container) {
  const enterprise = currentEnterprise();
  container.replaceChildren(screenTitle("安全承诺与专项整治"), loading());
  const parts = [];
  if (enterprise && roleCodes().includes("head")) parts.push(await commitmentSection(enterprise));
  parts.push(await campaignSection());
  container.replaceChildren(screenTitle("安全承诺与专项整治"), ...parts);
}
