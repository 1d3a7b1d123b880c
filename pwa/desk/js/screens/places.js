// 地点 (enterprise desk): the enterprise's places (风险点/检查点) with their label codes; add,
// correct or deactivate one; print the QR label sheet of all or of the chosen places (A4 PDF).
import { api, download } from "../api.js";
import { enterpriseId, hasRole } from "../session.js";
import { fill, fmtDate, h, labelOf, showProblem, table, toast } from "../ui.js";

const KINDS = [
  ["unit", "装置（单元）"],
  ["area", "区域"],
  ["equipment", "设备设施"],
];

export async function mount(container) {
  const enterprise = enterpriseId();
  const canEdit = hasRole("head", "safety_officer");
  let alive = true;
  const chosen = new Set();
  const list = h("div", { dataset: { testid: "places" } }, h("p", { class: "muted", text: "正在加载…" }));
  const problem = h("div");

  async function printLabels() {
    const ids = [...chosen];
    const query = ids.map((id) => `place_id=${id}`).join("&");
    const result = await download(`/api/v1/enterprises/${enterprise}/places/labels.pdf${query ? `?${query}` : ""}`, "地点二维码标签.pdf");
    if (!result.ok) showProblem(problem, result.problem);
  }

  async function setActive(place, active) {
    const result = await api("PATCH", `/api/v1/places/${place.id}`, { is_active: active });
    if (!result.ok) return showProblem(problem, result.problem);
    toast(active ? "已启用" : "已停用");
    await reload();
  }

  async function reload() {
    const result = await api("GET", `/api/v1/enterprises/${enterprise}/places?limit=200&sort=name`);
    if (!alive) return;
    if (!result.ok) return showProblem(list, result.problem);
    const rows = result.data.items || [];
    fill(
      list,
      table(
        [
          {
            key: "pick",
            label: "选择",
            render: (p) =>
              p.is_active
                ? h("input", { type: "checkbox", "aria-label": `选择${p.name}`, checked: chosen.has(p.id), on: { change: (e) => (e.target.checked ? chosen.add(p.id) : chosen.delete(p.id)) } })
                : "",
          },
          { key: "name", label: "名称" },
          { key: "kind", label: "类型", render: (p) => labelOf(p.kind) },
          { key: "qr_token", label: "标签码", render: (p) => h("code", { text: p.qr_token }) },
          { key: "description", label: "说明" },
          { key: "is_active", label: "状态", render: (p) => (p.is_active ? "在用" : "已停用") },
          { key: "created_at", label: "登记日期", render: (p) => fmtDate(p.created_at) },
          {
            key: "actions",
            label: "",
            render: (p) =>
              canEdit ? h("button", { type: "button", class: "small", text: p.is_active ? "停用" : "启用", on: { click: () => setActive(p, !p.is_active) } }) : "",
          },
        ],
        rows,
        { testid: "places-table", empty: "尚未登记地点。", rowAttrs: (p) => ({ dataset: { testid: "place-row", id: p.id } }) },
      ),
    );
  }

  const name = h("input", { name: "name", placeholder: "地点名称", "aria-label": "地点名称", required: true });
  const kind = h("select", { name: "kind", "aria-label": "类型" }, KINDS.map(([v, l]) => h("option", { value: v, text: l })));
  const description = h("input", { name: "description", placeholder: "说明（可选）", "aria-label": "说明" });
  const form = h("form", { class: "inline-form", dataset: { testid: "place-form" } }, name, kind, description, h("button", { type: "submit", text: "新增地点" }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const result = await api("POST", `/api/v1/enterprises/${enterprise}/places`, { name: name.value, kind: kind.value, description: description.value });
    if (!result.ok) return showProblem(problem, result.problem);
    fill(problem);
    form.reset();
    toast(`已登记，标签码 ${result.data.qr_token}`);
    await reload();
  });

  fill(
    container,
    h("h1", { text: "地点与二维码" }),
    h(
      "div",
      { class: "toolbar" },
      h("button", { type: "button", class: "secondary", text: "打印二维码标签（所选，未选则全部）", dataset: { testid: "print-labels" }, on: { click: printLabels } }),
    ),
    canEdit ? form : null,
    problem,
    list,
  );
  await reload();
  return () => {
    alive = false;
  };
}
