// 专项整治: the bureau's campaigns, and a form to start one (checklist or written items, targets
// with a count preview, three dated stages). A draft is launched from its own screen.
import { api } from "../api.js";
import { href, navigate } from "../routes.js";
import { hasRole } from "../session.js";
import { badge, fill, fmtDate, h, showProblem, table, toast } from "../ui.js";

const INDUSTRIES = [
  ["hazardous_chemicals", "危险化学品"],
  ["dust_explosion", "粉尘涉爆"],
  ["confined_space", "有限空间作业"],
  ["industry_trade", "工贸其他"],
];

const SIZES = [
  ["large", "大型"],
  ["medium", "中型"],
  ["small", "小型"],
  ["micro", "微型"],
];

function isoDay(offset) {
  const day = new Date(Date.now() + offset * 86400000 + 8 * 3600000);
  return day.toISOString().slice(0, 10);
}

function field(label, input) {
  return h("label", {}, label, input);
}

export async function mount(container) {
  const list = h("div");
  // Only the bureau's admin starts a campaign; an agency's auditor sees those it supervises.
  const form = hasRole("regulator_admin") ? createForm() : null;
  fill(container, h("div", { class: "screen-head" }, h("h1", { text: "专项整治" })), list, form);
  const result = await api("GET", "/api/v1/campaigns");
  if (!result.ok) return showProblem(list, result.problem);
  fill(
    list,
    table(
      [
        { key: "title", label: "专项整治", render: (row) => h("a", { href: href("campaign", row.id), dataset: { testid: "campaign-link" } }, row.title) },
        { key: "document_no", label: "文号" },
        { key: "state", label: "状态", render: (row) => badge(row.state.code === "running" ? "green" : "grey", row.state.label) },
        { key: "stage", label: "当前阶段", render: (row) => (row.stage ? row.stage.label : "—") },
        { key: "deadline", label: "自查截止", render: (row) => fmtDate(row.stages[0].end) },
      ],
      result.data.items,
      { testid: "campaigns-table", empty: "暂无专项整治" },
    ),
  );
}

function createForm() {
  const title = h("input", { name: "title", required: true, dataset: { testid: "campaign-title" } });
  const documentNo = h("input", { name: "document_no", placeholder: "如：镇应急〔2026〕18号" });
  const notice = h("textarea", { name: "notice_text", rows: 3 });
  const checklist = h("input", { name: "checklist_code", value: "dust-explosion", dataset: { testid: "campaign-checklist" } });
  const profile = h("input", { name: "profile", placeholder: "简版代码（可不填）" });
  const written = h("textarea", { name: "written_items", rows: 3, placeholder: "或逐行写出专项检查内容（填写后不使用上面的检查表）" });
  const industries = INDUSTRIES.map(([code, label]) =>
    h("label", { style: { flexDirection: "row", alignItems: "center" } }, h("input", { type: "checkbox", value: code, checked: code === "dust_explosion", dataset: { testid: `industry-${code}` } }), ` ${label}`),
  );
  const sizes = SIZES.map(([code, label]) =>
    h("label", { style: { flexDirection: "row", alignItems: "center" } }, h("input", { type: "checkbox", value: code, dataset: { testid: `size-${code}` } }), ` ${label}`),
  );
  const region = h("input", { name: "region", placeholder: "行政区划代码（可不填）" });
  const majorOnly = h("input", { type: "checkbox", name: "major" });
  const count = h("span", { class: "muted", dataset: { testid: "campaign-preview" } });
  // The previewed enterprises, each ticked; an unticked one is left out (exclude_ids).
  const picked = h("div", { class: "filters", dataset: { testid: "campaign-preview-list" } });
  const excluded = () => [...picked.querySelectorAll("input:not(:checked)")].map((box) => Number(box.value));
  const dates = Object.fromEntries(
    [
      ["self_check_start", 0],
      ["self_check_end", 14],
      ["supervision_start", 15],
      ["supervision_end", 30],
      ["follow_up_start", 45],
      ["follow_up_end", 60],
    ].map(([name, offset]) => [name, h("input", { type: "date", name, value: isoDay(offset) })]),
  );
  const supervisor = h("select", { name: "supervisor_kind" }, h("option", { value: "regulator" }, "本部门执法人员"), h("option", { value: "agency" }, "受委托的第三方机构"));
  const engagement = h("input", { name: "engagement_id", type: "number", min: "1", placeholder: "委托编号（第三方机构督导时填写）" });
  const errors = h("div");

  function targets() {
    const chosen = industries.map((label) => label.querySelector("input")).filter((box) => box.checked).map((box) => box.value);
    const body = { industries: chosen };
    if (region.value.trim()) body.region_codes = [region.value.trim()];
    if (majorOnly.checked) body.major_hazard_source = true;
    const sizeCodes = sizes.map((label) => label.querySelector("input")).filter((box) => box.checked).map((box) => box.value);
    if (sizeCodes.length) body.size_classes = sizeCodes;
    const left = excluded();
    if (left.length) body.exclude_ids = left;
    return body;
  }

  function showCount(total) {
    const left = excluded().length;
    count.textContent = `符合条件的企业：${total} 家` + (left ? `，已排除 ${left} 家` : "");
  }

  async function preview() {
    const body = targets();
    delete body.exclude_ids;
    const result = await api("POST", "/api/v1/campaigns/preview", body);
    if (!result.ok) {
      count.textContent = "条件有误";
      return fill(picked);
    }
    const total = result.data.count;
    fill(
      picked,
      result.data.enterprises.map((e) =>
        h(
          "label",
          { style: { flexDirection: "row", alignItems: "center" } },
          h("input", { type: "checkbox", value: String(e.id), checked: true, on: { change: () => showCount(total) }, "aria-label": `纳入 ${e.name}` }),
          ` ${e.name}`,
        ),
      ),
    );
    showCount(total);
  }

  async function submit(event) {
    event.preventDefault();
    const items = written.value.split("\n").map((line) => line.trim()).filter(Boolean);
    const body = {
      title: title.value.trim(),
      document_no: documentNo.value.trim(),
      notice_text: notice.value.trim(),
      targets: targets(),
      ...Object.fromEntries(Object.entries(dates).map(([name, input]) => [name, input.value])),
    };
    body.supervisor_kind = supervisor.value;
    if (supervisor.value === "agency") body.engagement_id = Number(engagement.value) || null;
    if (items.length) body.written_items = items;
    else {
      body.checklist_code = checklist.value.trim();
      if (profile.value.trim()) body.profile = profile.value.trim();
    }
    const result = await api("POST", "/api/v1/campaigns", body);
    if (!result.ok) return showProblem(errors, result.problem);
    toast("已保存为草稿");
    navigate("campaign", result.data.id);
  }

  const button = h("button", { type: "button", text: "预览对象数", on: { click: preview }, dataset: { testid: "campaign-preview-button" } });
  return h(
    "form",
    { class: "card", on: { submit }, dataset: { testid: "campaign-form" } },
    h("h2", { text: "发起专项整治" }),
    field("标题", title),
    field("文号", documentNo),
    field("通知内容", notice),
    field("检查表代码", checklist),
    field("简版", profile),
    field("专项检查内容", written),
    h("div", { class: "filters" }, ...industries),
    h("div", { class: "filters" }, "企业规模（不选为全部）：", ...sizes),
    field("行政区划", region),
    h("label", { style: { flexDirection: "row", alignItems: "center" } }, majorOnly, " 仅重大危险源企业"),
    h("div", {}, button, " ", count),
    picked,
    h("div", { class: "filters" }, ...[
      ["企业自查自改 开始", "self_check_start"],
      ["自查截止", "self_check_end"],
      ["督导检查 开始", "supervision_start"],
      ["督导检查 结束", "supervision_end"],
      ["回头看 开始", "follow_up_start"],
      ["回头看 结束", "follow_up_end"],
    ].map(([label, name]) => field(label, dates[name]))),
    field("督导检查", supervisor),
    field("委托", engagement),
    errors,
    h("button", { type: "submit", text: "保存草稿", dataset: { testid: "campaign-save" } }),
  );
}
