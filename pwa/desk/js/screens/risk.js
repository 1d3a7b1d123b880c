// 风险分级管控 (enterprise desk): the registry object → unit → event → measure as an editable
// tree; each event is evaluated inline (LEC / LS / MES) with the enterprise's band table, the level
// shown before saving (POST /risk/evaluate); Excel export and import with the import's row report;
// the risk register PDF and each place's 风险告知卡.
import { api, download } from "../api.js";
import { href } from "../routes.js";
import { enterpriseId, hasRole } from "../session.js";
import { badge, fill, fmtDate, h, showProblem, toast } from "../ui.js";
import { upload } from "./desk-upload.js";

const CLASSIFY1 = [
  ["engineering", "工程技术"],
  ["maintenance", "维护保养"],
  ["operation", "操作行为"],
  ["emergency", "应急措施"],
];
// National code table (registry.CLASSIFY2_LABELS): 1-x goes with 工程技术, 2-x with 维护保养, …
const CLASSIFY2 = [
  ["1-1", "1-1 工艺控制"], ["1-2", "1-2 关键设备/部件"], ["1-3", "1-3 安全附件"], ["1-4", "1-4 安全仪表"], ["1-5", "1-5 其他"],
  ["2-1", "2-1 动设备"], ["2-2", "2-2 静设备"], ["2-3", "2-3 其他"],
  ["3-1", "3-1 人员资质"], ["3-2", "3-2 操作记录"], ["3-3", "3-3 交接班"], ["3-4", "3-4 其他"],
  ["4-1", "4-1 应急设施"], ["4-2", "4-2 个体防护"], ["4-3", "4-3 消防设施"], ["4-4", "4-4 应急预案"], ["4-5", "4-5 其他"],
];

function levelBadge(level, testid) {
  return level
    ? badge(level.code, level.label)
    : h("span", { class: "muted", text: "未评估", dataset: testid ? { testid } : {} });
}

function problemBox() {
  return h("div", { class: "form-problem" });
}

export async function mount(container) {
  const enterprise = enterpriseId();
  const canEdit = hasRole("head", "safety_officer");
  let alive = true;
  let methods = [];
  let places = [];
  const status = h("div", { dataset: { testid: "registry-status" } });
  const report = h("div", { dataset: { testid: "import-report" } });
  const tree = h("div", { dataset: { testid: "registry-tree" } }, h("p", { class: "muted", text: "正在加载…" }));

  async function call(method, path, body, box) {
    const result = await api(method, path, body);
    if (!result.ok) {
      if (box) showProblem(box, result.problem);
      else toast(result.problem?.title || "操作失败", { kind: "error" });
    }
    return result;
  }

  // A one-line inline form: fields [{name, label, value, options?}] → onSave(values).
  function inlineForm(fields, onSave, { saveText = "保存", testid } = {}) {
    const box = problemBox();
    const inputs = fields.map((f) =>
      f.options
        ? h("select", { name: f.name, "aria-label": f.label }, f.options.map(([v, l]) => h("option", { value: v, text: l, selected: String(f.value ?? "") === String(v) })))
        : h("input", { name: f.name, "aria-label": f.label, placeholder: f.label, value: f.value ?? "", type: f.type || "text" }),
    );
    const form = h(
      "form",
      { class: "inline-form", dataset: testid ? { testid } : {} },
      inputs,
      h("button", { type: "submit", text: saveText }),
      h("button", { type: "button", class: "secondary", text: "取消", on: { click: () => form.remove() } }),
      box,
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const values = Object.fromEntries(inputs.map((i) => [i.name, i.value]));
      const ok = await onSave(values, box);
      if (ok) await reload();
    });
    return form;
  }

  function opener(label, testid, build) {
    const slot = h("div");
    const button = h("button", {
      type: "button",
      class: "small",
      text: label,
      dataset: { testid },
      on: { click: () => { fill(slot, build()); slot.querySelector("input,select")?.focus(); } },
    });
    return [button, slot];
  }

  const placeOptions = () => [["", "（不关联地点）"], ...places.map((p) => [String(p.id), p.name])];

  function objectForm(obj) {
    return inlineForm(
      [
        { name: "name", label: "对象名称", value: obj?.name },
        { name: "hazard_code", label: "危险源编码", value: obj?.hazard_code },
        { name: "is_major_hazard_source", label: "是否重大危险源", value: obj?.is_major_hazard_source ? "1" : "", options: [["", "一般风险分析对象"], ["1", "重大危险源"]] },
        // A major hazard source names its three accountable persons (包保责任人); the 包保责任
        // screen then links each to a member of staff and generates their checks.
        { name: "accountable_main", label: "包保主要负责人", value: obj?.accountable_main },
        { name: "accountable_technical", label: "包保技术负责人", value: obj?.accountable_technical },
        { name: "accountable_operational", label: "包保操作负责人", value: obj?.accountable_operational },
      ],
      async (v, box) => {
        const body = { ...v, is_major_hazard_source: v.is_major_hazard_source === "1" };
        const result = obj
          ? await call("PATCH", `/api/v1/risk-objects/${obj.id}`, body, box)
          : await call("POST", `/api/v1/enterprises/${enterprise}/risk-objects`, body, box);
        return result.ok;
      },
      { testid: "object-form" },
    );
  }

  function unitForm(obj, unit) {
    return inlineForm(
      [
        { name: "name", label: "单元名称", value: unit?.name },
        { name: "department", label: "责任部门", value: unit?.department },
        { name: "responsible_name", label: "责任人", value: unit?.responsible_name },
        { name: "place_id", label: "地点", value: unit?.place_id ?? "", options: placeOptions() },
      ],
      async (v, box) => {
        const body = { name: v.name, department: v.department, responsible_name: v.responsible_name, place_id: v.place_id ? Number(v.place_id) : null };
        const result = unit
          ? await call("PATCH", `/api/v1/risk-units/${unit.id}`, body, box)
          : await call("POST", `/api/v1/risk-objects/${obj.id}/units`, body, box);
        return result.ok;
      },
      { testid: "unit-form" },
    );
  }

  function eventForm(unit, ev) {
    return inlineForm(
      [
        { name: "name", label: "风险事件", value: ev?.name },
        { name: "consequence", label: "可能后果", value: ev?.consequence },
      ],
      async (v, box) => {
        const result = ev
          ? await call("PATCH", `/api/v1/risk-events/${ev.id}`, v, box)
          : await call("POST", `/api/v1/risk-units/${unit.id}/events`, v, box);
        return result.ok;
      },
      { testid: "event-form" },
    );
  }

  function measureForm(ev, m) {
    return inlineForm(
      [
        { name: "description", label: "管控措施", value: m?.description },
        { name: "classify1", label: "措施分类一", value: m?.classify1?.code || "engineering", options: CLASSIFY1 },
        { name: "classify2", label: "措施分类二", value: m?.classify2?.code || "1-1", options: CLASSIFY2 },
        { name: "check_content", label: "隐患排查内容", value: m?.check_content },
      ],
      async (v, box) => {
        const result = m
          ? await call("PATCH", `/api/v1/control-measures/${m.id}`, v, box)
          : await call("POST", `/api/v1/risk-events/${ev.id}/measures`, v, box);
        return result.ok;
      },
      { testid: "measure-form" },
    );
  }

  // Inline evaluation: factor pickers, the level the band table gives as they change, then save.
  function evaluator(ev) {
    const preview = h("div", { class: "eval-preview", dataset: { testid: "eval-preview" }, "aria-live": "polite" });
    const box = problemBox();
    const methodSelect = h(
      "select",
      { name: "method", "aria-label": "评价方法" },
      methods.map((m) => h("option", { value: m.code, text: m.name })),
    );
    const factorsBox = h("span", { class: "factors" });
    let pickers = [];

    function values() {
      const body = { method: methodSelect.value };
      for (const p of pickers) body[p.name] = Number(p.value);
      return body;
    }

    async function refresh() {
      const result = await api("POST", "/api/v1/risk/evaluate", { ...values(), enterprise_id: enterprise });
      if (!alive) return;
      if (!result.ok) return showProblem(preview, result.problem);
      const d = result.data;
      fill(
        preview,
        "保存后等级：",
        badge(d.level.code, d.level.label),
        ` ${d.method} = ${d.score}，${d.control_level?.label || ""}`,
        h("span", { class: "muted", text: ` （${d.band_table?.code || ""} 第 ${d.band_table?.version || ""} 版）` }),
      );
    }

    function buildFactors() {
      const method = methods.find((m) => m.code === methodSelect.value);
      pickers = (method?.factors || []).map((f) =>
        h(
          "select",
          { name: f.symbol, "aria-label": `${f.symbol} ${f.name}`, title: f.name, on: { change: refresh } },
          f.values.map((v) => h("option", { value: v.value, text: `${f.symbol}=${v.value} ${v.description}` })),
        ),
      );
      fill(factorsBox, pickers.map((p) => h("label", { class: "factor" }, p)));
      refresh();
    }
    methodSelect.addEventListener("change", buildFactors);
    const form = h(
      "form",
      { class: "inline-form evaluator", dataset: { testid: "evaluator" } },
      methodSelect,
      factorsBox,
      preview,
      h("button", { type: "submit", text: "保存评价", dataset: { testid: "eval-save" } }),
      h("button", { type: "button", class: "secondary", text: "取消", on: { click: () => form.remove() } }),
      box,
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const result = await call("POST", `/api/v1/risk-events/${ev.id}/assessments`, values(), box);
      if (result.ok) {
        toast(`已保存：${result.data.level?.label || ""}`);
        await reload();
      }
    });
    buildFactors();
    return form;
  }

  function remove(path, what) {
    return h("button", {
      type: "button",
      class: "remove",
      text: "删除",
      on: {
        click: async () => {
          if (!window.confirm(`删除${what}？`)) return;
          if ((await call("DELETE", path)).ok) await reload();
        },
      },
    });
  }

  function measureNode(m) {
    return h(
      "li",
      { dataset: { testid: "measure", id: m.id } },
      h("span", { text: m.description }),
      " ",
      h("span", { class: "muted", text: `（${m.classify1?.label || ""} ${m.classify2?.code || ""}${m.check_item_id ? `，排查项 ${m.check_item_id}` : ""}）` }),
      canEdit ? [" ", ...opener("修改", "edit-measure", () => measureForm(null, m)), " ", remove(`/api/v1/control-measures/${m.id}`, "管控措施")] : null,
    );
  }

  function eventNode(ev) {
    const a = ev.latest_assessment;
    return h(
      "li",
      { dataset: { testid: "event", id: ev.id } },
      h("strong", { text: ev.name }),
      " ",
      levelBadge(a?.level),
      a ? h("span", { class: "muted", text: ` ${a.method} ${a.score}（${fmtDate(a.assessed_on)}）` }) : null,
      canEdit ? [" ", ...opener("评价", "evaluate", () => evaluator(ev)), " ", ...opener("修改", "edit-event", () => eventForm(null, ev)), " ", remove(`/api/v1/risk-events/${ev.id}`, "风险事件")] : null,
      h("ul", { class: "measures" }, ev.measures.map(measureNode)),
      canEdit ? opener("＋ 管控措施", "add-measure", () => measureForm(ev)) : null,
    );
  }

  function unitNode(obj, unit) {
    const place = places.find((p) => p.id === unit.place_id);
    return h(
      "li",
      { dataset: { testid: "unit", id: unit.id, name: unit.name } },
      h("strong", { text: unit.name }),
      " ",
      h("span", { dataset: { testid: "unit-level" } }, levelBadge(unit.effective_level, "unit-unassessed")),
      unit.raised ? h("span", { class: "muted", text: ` ${unit.level_note}` }) : null,
      h("span", { class: "muted", text: ` ${unit.department || ""} ${unit.responsible_name || ""}` }),
      place
        ? [" · ", h("span", { text: place.name }), " ", h("button", { type: "button", class: "small", text: "风险告知卡", dataset: { testid: "risk-card" }, on: { click: () => download(`/api/v1/places/${place.id}/risk-card.pdf`, `risk-card-${place.id}.pdf`) } })]
        : null,
      canEdit ? [" ", ...opener("修改", "edit-unit", () => unitForm(obj, unit)), " ", remove(`/api/v1/risk-units/${unit.id}`, "风险分析单元")] : null,
      h("ul", { class: "events" }, unit.events.map(eventNode)),
      canEdit ? opener("＋ 风险事件", "add-event", () => eventForm(unit)) : null,
    );
  }

  function objectNode(obj) {
    return h(
      "details",
      { open: true, class: "card", dataset: { testid: "object", id: obj.id } },
      h(
        "summary",
        {},
        h("strong", { text: obj.name }),
        obj.is_major_hazard_source ? [" ", badge("red", "重大危险源")] : null,
        obj.hazard_code ? h("span", { class: "muted", text: ` ${obj.hazard_code}` }) : null,
      ),
      canEdit ? h("div", {}, ...opener("修改对象", "edit-object", () => objectForm(obj)), " ", remove(`/api/v1/risk-objects/${obj.id}`, "风险分析对象")) : null,
      h("ul", { class: "units" }, obj.units.map((u) => unitNode(obj, u))),
      canEdit ? opener("＋ 风险分析单元", "add-unit", () => unitForm(obj)) : null,
    );
  }

  async function reload() {
    const result = await api("GET", `/api/v1/enterprises/${enterprise}/risk-register`);
    if (!alive) return;
    if (!result.ok) return showProblem(tree, result.problem);
    const c = result.data.counts || {};
    fill(status, h("p", { class: "muted", text: `风险分析对象 ${c.objects ?? 0} 个、单元 ${c.units ?? 0} 个、事件 ${c.events ?? 0} 个、管控措施 ${c.measures ?? 0} 条。` }));
    const objects = result.data.objects || [];
    fill(
      tree,
      objects.length ? objects.map(objectNode) : h("p", { class: "muted empty", text: "尚未建立风险分级管控清单：新增风险分析对象，或导入 Excel。" }),
      canEdit ? opener("＋ 风险分析对象", "add-object", () => objectForm()) : null,
    );
  }

  async function importFile(event) {
    const file = event.target.files[0];
    event.target.value = "";
    if (!file) return;
    const form = new FormData();
    form.append("file", file, file.name);
    fill(report, h("p", { class: "muted", text: "正在导入…" }));
    const result = await upload(`/api/v1/enterprises/${enterprise}/risk-register/import`, form);
    if (!alive) return;
    if (!result.ok) return showProblem(report, result.problem);
    const d = result.data;
    fill(
      report,
      h("p", {
        class: "ok",
        text: `已导入 ${d.rows} 行：新增对象 ${d.created.objects}、单元 ${d.created.units}、事件 ${d.created.events}、措施 ${d.created.measures}、评价 ${d.created.assessments}；更新对象 ${d.updated.objects}、单元 ${d.updated.units}、事件 ${d.updated.events}、措施 ${d.updated.measures}。`,
      }),
    );
    await reload();
  }

  const fileInput = h("input", { type: "file", accept: ".xlsx", hidden: true, dataset: { testid: "import-file" }, on: { change: importFile } });
  const toolbar = h(
    "div",
    { class: "toolbar" },
    h("button", { type: "button", class: "secondary", text: "导出 Excel", dataset: { testid: "registry-export" }, on: { click: () => download(`/api/v1/enterprises/${enterprise}/risk-register.xlsx`, "风险分级管控清单.xlsx") } }),
    canEdit ? h("button", { type: "button", class: "secondary", text: "导入 Excel", on: { click: () => fileInput.click() } }) : null,
    fileInput,
    h("button", { type: "button", class: "secondary", text: "风险清单 PDF", dataset: { testid: "register-pdf" }, on: { click: () => download(`/api/v1/enterprises/${enterprise}/risk-register.pdf`, "风险分级管控清单.pdf") } }),
    h("a", { href: href("risk-map"), text: "四色分布图 →" }),
  );
  fill(container, h("h1", { text: "风险分级管控" }), toolbar, report, status, tree);
  const [m, p] = await Promise.all([
    api("GET", "/api/v1/risk/methods"),
    api("GET", `/api/v1/enterprises/${enterprise}/places?limit=200&is_active=true`),
  ]);
  if (!alive) return () => {};
  methods = m.ok ? m.data : [];
  places = p.ok ? p.data.items : [];
  await reload();
  return () => {
    alive = false;
  };
}
