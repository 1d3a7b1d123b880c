// One campaign: notice and stages; a draft is launched here; a running one shows the bureau's
// figures (completion by region and industry, hazards, laggards, 零隐患), downloads and samples.
import { api, download } from "../api.js";
import { href } from "../routes.js";
import { isRegulator } from "../session.js";
import { badge, fill, fmtDate, fmtDateTime, h, showProblem, table, toast } from "../ui.js";

function percent(rate) {
  return rate === null || rate === undefined ? "—" : `${(rate * 100).toFixed(1)}%`;
}

function groupTable(groups, label, testid) {
  return table(
    [
      { key: "label", label },
      { key: "targets", label: "对象" },
      { key: "on_time", label: "按期完成" },
      { key: "late", label: "逾期完成" },
      { key: "not_done", label: "未完成", render: (row) => row.not_done + row.open },
      { key: "rate", label: "完成率", render: (row) => percent(row.rate) },
    ],
    groups,
    { testid },
  );
}

// Draw a stage's sample from the targets with the reproducible draw (seed and count).
function sampleForm(campaign, reload) {
  const stage = h("select", { "aria-label": "抽查阶段" }, h("option", { value: "supervision" }, "部门督导检查"), h("option", { value: "follow_up" }, "回头看"));
  const seed = h("input", { placeholder: "随机种子（可不填）", maxlength: "64", "aria-label": "随机种子" });
  const count = h("input", { type: "number", min: "1", value: "1", "aria-label": "抽取数量" });
  const errors = h("div");
  const draw = async () => {
    const body = { stage: stage.value, count: Number(count.value) || 0 };
    if (seed.value.trim()) body.seed = seed.value.trim();
    const result = await api("POST", `/api/v1/campaigns/${campaign.id}/samples`, body);
    if (!result.ok) return showProblem(errors, result.problem);
    toast("已抽取");
    reload();
  };
  return h(
    "div",
    { class: "filters" },
    stage,
    seed,
    count,
    h("button", { type: "button", text: "抽取检查对象", on: { click: draw } }),
    errors,
  );
}

const CHECK_RESULTS = [
  ["", "请选择"],
  ["pass", "合格"],
  ["fail", "不合格"],
  ["na", "不适用"],
];

// 督导检查 / 回头看 of one sampled enterprise: the campaign checklist item by item (合格 / 不合格 /
// 不适用 and a note), submitted once; the server answers with the differences to the self-check.
async function checkForm(campaign, sample, holder, reload) {
  fill(holder, h("p", { class: "muted", text: "正在读取检查表…" }));
  const result = await api("GET", `/api/v1/campaigns/${campaign.id}/items`);
  if (!holder.isConnected) return;
  if (!result.ok) return showProblem(holder, result.problem);
  const rows = result.data.items.map((item) => ({
    item,
    result: h(
      "select",
      { "aria-label": `${item.id} 检查结果`, dataset: { testid: `check-result-${item.id}` } },
      CHECK_RESULTS.map(([code, label]) => h("option", { value: code, text: label })),
    ),
    note: h("input", { maxlength: "2000", placeholder: "问题描述（可不填）", "aria-label": `${item.id} 说明`, dataset: { testid: `check-note-${item.id}` } }),
  }));
  const overall = h("textarea", { maxlength: "2000", rows: "2", placeholder: "检查总体情况（可不填）", "aria-label": "检查总体情况" });
  const errors = h("div");
  const submit = h("button", { type: "submit", class: "primary", text: "提交检查结果", dataset: { testid: "campaign-check-submit" } });
  const form = h(
    "form",
    { dataset: { testid: "campaign-check-form" } },
    h("h3", { text: `${sample.stage.label}：${sample.enterprise.name}` }),
    table(
      [
        { key: "id", label: "编号", render: (row) => row.item.id },
        {
          key: "text",
          label: "检查内容",
          render: (row) => [row.item.is_major ? badge("red", "重大隐患判定") : null, " ", row.item.text, row.item.basis.length ? h("div", { class: "muted", text: `依据：${row.item.basis.join("；")}` }) : null],
        },
        { key: "result", label: "检查结果", render: (row) => row.result },
        { key: "note", label: "说明", render: (row) => row.note },
      ],
      rows,
      { testid: "campaign-check-items" },
    ),
    overall,
    errors,
    submit,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const answers = rows
      .filter((row) => row.result.value)
      .map((row) => ({ item_id: row.item.id, result: row.result.value, note: row.note.value.trim() }));
    submit.disabled = true;
    const saved = await api("POST", `/api/v1/campaigns/${campaign.id}/samples/${sample.id}/check`, { answers, note: overall.value.trim() });
    submit.disabled = false;
    if (!saved.ok) return showProblem(errors, saved.problem);
    toast("检查结果已记录");
    reload();
  });
  fill(holder, form);
}

function differenceText(row) {
  if (!row.check) return "未检查";
  return row.check.differences.map((d) => `${d.text}：${d.label}`).join("；") || "一致";
}

export async function mount(container, { arg }) {
  const result = await api("GET", `/api/v1/campaigns/${arg}`);
  if (!result.ok) return showProblem(container, result.problem);
  const campaign = result.data;
  const body = h("div");
  const stages = h(
    "ul",
    {},
    campaign.stages.map((stage) => h("li", { text: `${stage.label}：${fmtDate(stage.start)} 至 ${fmtDate(stage.end)}` })),
  );
  fill(
    container,
    h("div", { class: "screen-head" }, h("h1", { text: campaign.title }), badge(campaign.state.code === "running" ? "green" : "grey", campaign.state.label)),
    h("p", { class: "muted", text: [campaign.document_no, campaign.legal_basis].filter(Boolean).join("　") }),
    h("p", { text: campaign.notice_text }),
    h("p", { text: `检查表：${campaign.checklist.title}（${campaign.checklist.item_count} 项）；督导检查：${campaign.supervisor_kind.label}` }),
    stages,
    body,
  );
  if (campaign.state.code === "draft") {
    const launch = h("button", { type: "button", text: "启动专项整治", dataset: { testid: "campaign-launch" } });
    launch.addEventListener("click", async () => {
      const launched = await api("POST", `/api/v1/campaigns/${campaign.id}/launch`);
      if (!launched.ok) return showProblem(body, launched.problem);
      toast("已启动，任务已下发到各企业");
      mount(container, { arg });
    });
    return fill(body, launch);
  }
  const checkHolder = h("div");
  // The bureau's own officers record the checks of a campaign it supervises itself; for an
  // agency-supervised one the agency's auditors record them and the bureau reads the results.
  const sampleAction = (row) => {
    if (row.check) return `已检查，不合格 ${row.check.failed} 项`;
    if (campaign.supervisor_kind.code === "agency" && isRegulator()) return "由受委托机构检查";
    return h("button", {
      type: "button",
      text: row.stage.code === "follow_up" ? "录入回头看检查" : "录入督导检查",
      dataset: { testid: `campaign-check-open-${row.id}` },
      on: { click: () => checkForm(campaign, row, checkHolder, () => mount(container, { arg })) },
    });
  };
  const samplesTable = (rows) =>
    table(
      [
        { key: "stage", label: "阶段", render: (row) => row.stage.label },
        { key: "enterprise", label: "企业", render: (row) => row.enterprise.name },
        { key: "check", label: "与自查的差异", render: differenceText },
        { key: "action", label: "操作", render: sampleAction },
      ],
      rows,
      { testid: "campaign-samples", empty: "尚未抽取" },
    );
  if (!isRegulator()) {
    // A commissioned agency's auditor: the samples of the enterprises it is engaged for.
    const samples = await api("GET", `/api/v1/campaigns/${campaign.id}/samples`);
    if (!samples.ok) return showProblem(body, samples.problem);
    return fill(body, h("h2", { text: "督导检查与回头看" }), samplesTable(samples.data.items), checkHolder);
  }
  const figures = await api("GET", `/api/v1/campaigns/${campaign.id}/overview`);
  if (!figures.ok) return showProblem(body, figures.problem);
  const view = figures.data;
  const exportButton = h("button", { type: "button", text: "导出 Excel" });
  exportButton.addEventListener("click", () => download(`/api/v1/campaigns/${campaign.id}/export.xlsx`, `专项整治-${campaign.id}.xlsx`));
  const reportButton = h("button", { type: "button", text: "总结报告 PDF" });
  reportButton.addEventListener("click", () => download(`/api/v1/campaigns/${campaign.id}/report.pdf`, `专项整治总结报告-${campaign.id}.pdf`));
  fill(
    body,
    h(
      "div",
      { class: "cards", dataset: { testid: "campaign-figures" } },
      h("div", { class: "card", dataset: { testid: "campaign-completion" } }, h("b", { text: `${view.completion.done}/${view.targets}` }), " 家已完成自查"),
      h("div", { class: "card" }, `按期 ${view.completion.on_time}，逾期 ${view.completion.late}，未完成 ${view.completion.not_done + view.completion.open}`),
      h("div", { class: "card" }, `隐患 ${view.hazards.total} 项，重大 ${view.major_hazards.length} 项，超期 ${view.hazards.overdue} 项`),
    ),
    h("div", {}, exportButton, " ", reportButton),
    h("h2", { text: "分区域" }),
    groupTable(view.by_region, "区域", "campaign-by-region"),
    h("h2", { text: "分行业" }),
    groupTable(view.by_industry, "行业", "campaign-by-industry"),
    h("h2", { text: "未完成自查（可电话督促或约谈）" }),
    table(
      [
        { key: "name", label: "企业", render: (row) => h("a", { href: href("enterprise", row.id) }, row.name) },
        { key: "head_name", label: "主要负责人" },
        { key: "head_phone", label: "电话" },
      ],
      view.laggards,
      { testid: "campaign-laggards", empty: "全部已完成" },
    ),
    h("h2", { text: "零隐患企业" }),
    h("p", { dataset: { testid: "campaign-zero" }, text: view.zero_hazard_enterprises.map((e) => e.name).join("、") || "无" }),
    h("h2", { text: "企业明细" }),
    table(
      [
        { key: "enterprise", label: "企业", render: (row) => row.enterprise.name },
        { key: "region", label: "区域", render: (row) => row.region.name },
        { key: "completion", label: "完成情况", render: (row) => row.completion.label },
        { key: "done_at", label: "完成时间", render: (row) => (row.done_at ? fmtDateTime(row.done_at) : "—") },
        { key: "hazards", label: "隐患" },
        { key: "overdue_hazards", label: "超期" },
      ],
      view.enterprises,
      { testid: "campaign-enterprises" },
    ),
    h("h2", { text: "督导检查与回头看" }),
    sampleForm(campaign, () => mount(container, { arg })),
    samplesTable(view.samples),
    checkHolder,
  );
}
