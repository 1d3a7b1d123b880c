// 双随机抽查: the registries (一单两库), the draw form and the list of draws.
import { api } from "../api.js";
import { INDUSTRIES } from "../labels.js";
import { href, navigate } from "../routes.js";
import { badge, fill, fmtDate, fmtDateTime, h, showProblem, table, toast } from "../ui.js";

function industries(enterprise) {
  return (enterprise?.industries || []).map((i) => i.label).join("、");
}

function registryTables(registry, reload, problemBox) {
  const manage = registry.can_manage;
  const deactivate = async (entry) => {
    const result = await api("DELETE", `/api/v1/spot-checks/registry/${entry.id}`);
    if (!result.ok) return showProblem(problemBox, result.problem);
    toast("已停用，该条目不再参加抽取。");
    reload();
  };
  const action = (entry) =>
    manage
      ? h("button", { class: "secondary", type: "button", text: "停用", dataset: { testid: `registry-deactivate-${entry.id}` }, on: { click: () => deactivate(entry) } })
      : null;
  const objects = registry.items.filter((e) => e.kind.code === "object");
  const inspectors = registry.items.filter((e) => e.kind.code === "inspector");
  return [
    h("h3", { text: `检查对象名录（${objects.length} 家企业）` }),
    table(
      [
        { key: "enterprise", label: "企业名称", render: (e) => e.enterprise?.name },
        { key: "industries", label: "行业", render: (e) => industries(e.enterprise) },
        { key: "added_at", label: "加入时间", render: (e) => fmtDate(e.added_at) },
        ...(manage ? [{ key: "action", label: "操作", render: action }] : []),
      ],
      objects,
      { testid: "registry-objects", empty: "名录为空" },
    ),
    h("h3", { text: `执法检查人员名录（${inspectors.length} 人）` }),
    table(
      [
        { key: "inspector", label: "姓名", render: (e) => e.inspector?.display_name },
        { key: "added_at", label: "加入时间", render: (e) => fmtDate(e.added_at) },
        ...(manage ? [{ key: "action", label: "操作", render: action }] : []),
      ],
      inspectors,
      { testid: "registry-inspectors", empty: "名录为空" },
    ),
  ];
}

function addForms(registry, reload, problemBox) {
  const post = async (body, message) => {
    const result = await api("POST", "/api/v1/spot-checks/registry", body);
    if (!result.ok) return showProblem(problemBox, result.problem);
    fill(problemBox);
    toast(message(result.data.items.length));
    reload();
  };
  const industry = h(
    "select",
    { dataset: { testid: "registry-industry" } },
    h("option", { value: "", text: "全部监管行业" }),
    INDUSTRIES.map(([code, label]) => h("option", { value: code, text: label })),
  );
  const enterprise = h(
    "select",
    { dataset: { testid: "registry-enterprise" } },
    registry.candidates.objects.map((e) => h("option", { value: String(e.id), text: e.name })),
  );
  const inspector = h(
    "select",
    { dataset: { testid: "registry-inspector" } },
    registry.candidates.inspectors.map((u) => h("option", { value: String(u.id), text: u.display_name })),
  );
  return h(
    "div",
    { class: "filters", dataset: { testid: "registry-forms" } },
    h("label", {}, "按行业批量添加", industry),
    h("button", {
      class: "secondary",
      type: "button",
      text: "添加辖区企业",
      dataset: { testid: "registry-add-objects" },
      on: { click: () => post({ kind: "object", ...(industry.value ? { industry: industry.value } : {}) }, (n) => `已添加 ${n} 家企业。`) },
    }),
    h("label", {}, "单个企业", enterprise),
    h("button", {
      class: "secondary",
      type: "button",
      text: "添加企业",
      disabled: !registry.candidates.objects.length,
      dataset: { testid: "registry-add-object" },
      on: { click: () => post({ kind: "object", enterprise_id: Number(enterprise.value) }, () => "已添加企业。") },
    }),
    h("label", {}, "执法检查人员", inspector),
    h("button", {
      class: "secondary",
      type: "button",
      text: "添加检查人员",
      disabled: !registry.candidates.inspectors.length,
      dataset: { testid: "registry-add-inspector" },
      on: { click: () => post({ kind: "inspector", user_id: Number(inspector.value) }, () => "已添加检查人员。") },
    }),
  );
}

function drawForm(problemBox) {
  const field = (name, label, attrs) =>
    h("label", {}, label, h("input", { name, dataset: { testid: `draw-${name}` }, ...attrs }));
  const form = h(
    "form",
    { class: "filters", dataset: { testid: "draw-form" } },
    field("title", "抽查名称", { required: true, size: 30, maxlength: 200 }),
    field("enterprise_count", "抽取企业数", { type: "number", min: 1, value: "1", required: true, size: 6 }),
    field("inspectors_per_enterprise", "每家检查人员数", { type: "number", min: 2, value: "2", required: true, size: 6 }),
    field("seed", "随机种子（可留空）", { placeholder: "留空由系统生成", maxlength: 64, size: 24 }),
    h("button", { class: "primary", type: "submit", text: "抽取", dataset: { testid: "draw-submit" } }),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const body = {
      title: data.get("title").trim(),
      enterprise_count: Number(data.get("enterprise_count")),
      inspectors_per_enterprise: Number(data.get("inspectors_per_enterprise")),
    };
    if (data.get("seed").trim()) body.seed = data.get("seed").trim();
    const result = await api("POST", "/api/v1/spot-checks/draws", body);
    if (!result.ok) return showProblem(problemBox, result.problem);
    toast("抽取完成。");
    navigate("spot-check", result.data.id);
  });
  return form;
}

function drawsTable(items) {
  return table(
    [
      { key: "title", label: "抽查名称", render: (d) => h("a", { href: href("spot-check", d.id), text: d.title, dataset: { testid: "draw-link" } }) },
      { key: "regulator", label: "监管部门", render: (d) => d.regulator.name },
      { key: "drawn_at", label: "抽取时间", render: (d) => fmtDateTime(d.drawn_at) },
      { key: "size", label: "企业 × 人员", render: (d) => `${d.enterprise_count} × ${d.inspectors_per_enterprise}` },
      { key: "results", label: "已录入结果", render: (d) => `${d.results_recorded} / ${d.enterprise_count}` },
      { key: "published_at", label: "公开", render: (d) => (d.published_at ? badge("green", `已公开 ${fmtDate(d.published_at)}`) : badge("none", "未公开")) },
    ],
    items,
    { testid: "draws-table", empty: "尚无抽取记录" },
  );
}

export async function mount(container) {
  const registryBox = h("div", { dataset: { testid: "registry" } }, h("p", { class: "muted", text: "正在加载…" }));
  const registryProblem = h("div");
  const drawBox = h("div");
  const drawProblem = h("div");
  const listBox = h("div");
  fill(
    container,
    h("h1", { text: "双随机抽查" }),
    h("p", { class: "muted", text: "从检查对象名录随机抽取企业，从执法检查人员名录随机匹配检查人员；随机种子与名录均留存，可随时复现核对。" }),
    h("h2", { text: "一单两库" }),
    registryProblem,
    registryBox,
    drawBox,
    h("h2", { text: "抽取记录" }),
    listBox,
  );

  async function loadRegistry() {
    const result = await api("GET", "/api/v1/spot-checks/registry");
    if (!result.ok) return showProblem(registryBox, result.problem);
    const registry = result.data;
    fill(
      registryBox,
      h("p", { class: "muted", text: registry.regulator.name }),
      registry.can_manage ? addForms(registry, loadRegistry, registryProblem) : null,
      registryTables(registry, loadRegistry, registryProblem),
    );
    fill(drawBox, registry.can_manage ? [h("h2", { text: "发起抽取" }), drawProblem, drawForm(drawProblem)] : null);
  }

  async function loadDraws() {
    const result = await api("GET", "/api/v1/spot-checks/draws");
    if (!result.ok) return showProblem(listBox, result.problem);
    fill(listBox, drawsTable(result.data.items));
  }

  await Promise.all([loadRegistry(), loadDraws()]);
}
