// 四色分布图 (enterprise desk): an uploaded site plan with the enterprise's places positioned on
// it by drag and drop (pointer events; positions persist through PUT /site-plans/<id>/shapes),
// each coloured by its effective level — the dynamic level an open hazard lifts.
import { api, download, fetchBlob } from "../api.js";
import { replaceQuery } from "../routes.js";
import { enterpriseId, hasRole } from "../session.js";
import { badge, codeOf, fill, h, labelOf, showProblem, toast } from "../ui.js";
import { uploadImage } from "./desk-upload.js";

const SVG = "http://www.w3.org/2000/svg";

// What PUT /shapes takes back: the stored shapes as plain codes.
function stored(shape) {
  return {
    target_type: shape.target_type.code,
    target_id: shape.target_id,
    shape: shape.shape.code,
    points: shape.points,
    label: shape.label || "",
  };
}

export async function mount(container, { query = {} } = {}) {
  const enterprise = enterpriseId();
  const canEdit = hasRole("head", "safety_officer");
  let alive = true;
  let plans = [];
  let places = [];
  let plan = null; // the site plan detail shown (with shapes)
  let imageUrl = null;
  const problem = h("div");
  const picker = h("div", { class: "toolbar" });
  const stage = h("div", { class: "map-stage", dataset: { testid: "map-stage" }, style: { position: "relative", display: "inline-block", maxWidth: "100%", touchAction: "none" } });
  const palette = h("div", { class: "map-palette", dataset: { testid: "map-palette" } });
  const legend = h("div", { class: "map-legend", dataset: { testid: "map-legend" } });

  function revoke() {
    if (imageUrl) URL.revokeObjectURL(imageUrl);
    imageUrl = null;
  }

  // Pointer position → site-plan pixel coordinates, or null outside the image.
  function toPlan(event) {
    const img = stage.querySelector("img");
    if (!img || !plan) return null;
    const rect = img.getBoundingClientRect();
    const x = event.clientX - rect.left;
    const y = event.clientY - rect.top;
    if (x < 0 || y < 0 || x > rect.width || y > rect.height) return null;
    return [Math.round((x / rect.width) * plan.width), Math.round((y / rect.height) * plan.height)];
  }

  async function save(shapes) {
    const result = await api("PUT", `/api/v1/site-plans/${plan.id}/shapes`, { shapes });
    if (!alive) return;
    if (!result.ok) {
      showProblem(problem, result.problem);
      return render();
    }
    fill(problem);
    plan = result.data;
    toast("位置已保存");
    render();
  }

  function placeAt(placeId, point) {
    const shapes = plan.shapes.filter((s) => !(s.target_type.code === "place" && s.target_id === placeId)).map(stored);
    shapes.push({ target_type: "place", target_id: placeId, shape: "point", points: [point], label: "" });
    return save(shapes);
  }

  // Drag with pointer events: `node` follows the pointer (a fixed ghost), dropping on the image
  // places `placeId` there.
  function draggable(node, placeId, label) {
    if (!canEdit) return node;
    node.addEventListener("pointerdown", (down) => {
      if (down.button !== 0) return;
      down.preventDefault();
      node.setPointerCapture(down.pointerId);
      const ghost = h("span", { class: "map-ghost", text: label, style: { position: "fixed", left: `${down.clientX}px`, top: `${down.clientY}px`, pointerEvents: "none", zIndex: 1000 } });
      document.body.append(ghost);
      const move = (event) => {
        ghost.style.left = `${event.clientX}px`;
        ghost.style.top = `${event.clientY}px`;
      };
      const up = (event) => {
        node.removeEventListener("pointermove", move);
        node.removeEventListener("pointerup", up);
        node.removeEventListener("pointercancel", up);
        ghost.remove();
        const point = event.type === "pointerup" ? toPlan(event) : null;
        if (point) placeAt(placeId, point);
      };
      node.addEventListener("pointermove", move);
      node.addEventListener("pointerup", up);
      node.addEventListener("pointercancel", up);
    });
    return node;
  }

  function marker(shape) {
    const [x, y] = shape.points[0];
    const node = h("button", {
      type: "button",
      class: "map-marker",
      title: `${shape.target_name}：${labelOf(shape.level) || "未评估"}${shape.raised ? "（因未销号隐患上调）" : ""}`,
      "aria-label": `${shape.target_name} ${labelOf(shape.level) || "未评估"}`,
      dataset: { testid: "map-marker", placeId: shape.target_id, level: codeOf(shape.level) || "none", colour: shape.colour },
      style: {
        position: "absolute",
        left: `${(x / plan.width) * 100}%`,
        top: `${(y / plan.height) * 100}%`,
        transform: "translate(-50%, -50%)",
        background: shape.colour,
        border: "2px solid #fff",
        borderRadius: "999px",
        color: "#fff",
        padding: "0.1rem 0.5rem",
        cursor: canEdit ? "grab" : "default",
        whiteSpace: "nowrap",
        boxShadow: "0 0 0 1px #333",
      },
      text: shape.label || shape.target_name,
    });
    return draggable(node, shape.target_id, shape.target_name);
  }

  function areas() {
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", `0 0 ${plan.width} ${plan.height}`);
    Object.assign(svg.style, { position: "absolute", inset: "0", width: "100%", height: "100%", pointerEvents: "none" });
    for (const shape of plan.shapes.filter((s) => s.shape.code === "polygon")) {
      const polygon = document.createElementNS(SVG, "polygon");
      polygon.setAttribute("points", shape.points.map((p) => p.join(",")).join(" "));
      polygon.setAttribute("fill", shape.colour);
      polygon.setAttribute("fill-opacity", "0.35");
      polygon.setAttribute("stroke", shape.colour);
      polygon.dataset.testid = "map-area";
      svg.append(polygon);
    }
    return svg;
  }

  function render() {
    if (!plan) return;
    const img = h("img", { src: imageUrl || "", alt: `${plan.title}平面图`, draggable: "false", style: { display: "block", maxWidth: "100%", userSelect: "none" } });
    const placed = plan.shapes.filter((s) => s.target_type.code === "place" && s.shape.code === "point");
    fill(stage, img, areas(), placed.map(marker));
    const onPlan = new Set(plan.shapes.filter((s) => s.target_type.code === "place").map((s) => s.target_id));
    const waiting = places.filter((p) => !onPlan.has(p.id));
    fill(
      palette,
      h("h2", { text: "未标注的地点" }),
      canEdit ? h("p", { class: "muted", text: "把地点拖到平面图上；图上的地点也可拖动调整位置。" }) : null,
      waiting.length
        ? h("ul", { class: "chips" }, waiting.map((p) => h("li", {}, draggable(h("button", { type: "button", class: "chip", text: p.name, dataset: { testid: "palette-place", placeId: p.id }, style: { cursor: canEdit ? "grab" : "default", touchAction: "none" } }), p.id, p.name))))
        : h("p", { class: "muted", text: "所有地点均已标注。" }),
    );
    fill(
      legend,
      (plan.legend || []).map((l) => h("span", { class: "legend-entry" }, h("span", { style: { display: "inline-block", width: "1em", height: "1em", background: l.colour, verticalAlign: "middle" } }), ` ${l.label} `)),
      h("button", { type: "button", class: "secondary", text: "下载四色图 PDF", on: { click: () => download(plan.map_pdf_url, `四色分布图-${plan.id}.pdf`) } }),
    );
  }

  async function show(planId) {
    const result = await api("GET", `/api/v1/site-plans/${planId}`);
    if (!alive) return;
    if (!result.ok) return showProblem(problem, result.problem);
    plan = result.data;
    replaceQuery({ screen: "risk-map", arg: null }, { plan: plan.id });
    revoke();
    const blob = await fetchBlob(plan.image_url);
    if (!alive) return;
    imageUrl = blob ? URL.createObjectURL(blob) : null;
    render();
  }

  function planPicker() {
    const select = h(
      "select",
      { "aria-label": "平面图", dataset: { testid: "plan-select" }, on: { change: (e) => show(Number(e.target.value)) } },
      plans.map((p) => h("option", { value: p.id, text: p.title, selected: plan && plan.id === p.id })),
    );
    const title = h("input", { name: "title", placeholder: "平面图名称", "aria-label": "平面图名称" });
    const file = h("input", { type: "file", accept: "image/png,image/jpeg,image/webp", "aria-label": "平面图图片", dataset: { testid: "plan-file" } });
    const uploadForm = h("form", { class: "inline-form", dataset: { testid: "plan-upload" } }, title, file, h("button", { type: "submit", text: "上传平面图" }));
    uploadForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!file.files[0]) return toast("请选择图片", { kind: "error" });
      const media = await uploadImage(file.files[0], enterprise);
      if (!media.ok) return showProblem(problem, media.problem);
      const created = await api("POST", `/api/v1/enterprises/${enterprise}/site-plans`, { title: title.value || "厂区平面图", media_id: media.data.id });
      if (!created.ok) return showProblem(problem, created.problem);
      await loadPlans(created.data.id);
    });
    fill(picker, plans.length ? h("label", {}, "平面图 ", select) : h("span", { class: "muted", text: "尚未上传平面图。" }), canEdit ? uploadForm : null);
  }

  async function loadPlans(wanted) {
    const result = await api("GET", `/api/v1/enterprises/${enterprise}/site-plans?limit=50`);
    if (!alive) return;
    if (!result.ok) return showProblem(problem, result.problem);
    plans = result.data.items || [];
    const chosen = plans.find((p) => p.id === Number(wanted)) || plans[0];
    if (chosen) await show(chosen.id);
    planPicker();
  }

  fill(
    container,
    h("h1", { text: "四色分布图" }),
    picker,
    problem,
    h("div", { class: "map-layout", style: { display: "flex", gap: "1rem", alignItems: "flex-start", flexWrap: "wrap" } }, stage, palette),
    legend,
    h("p", { class: "muted" }, "颜色为动态风险等级：未销号隐患所在单元临时上调一级。", badge("red", "重大"), badge("orange", "较大"), badge("yellow", "一般"), badge("blue", "低")),
  );
  const placesResult = await api("GET", `/api/v1/enterprises/${enterprise}/places?limit=200&is_active=true`);
  if (!alive) return () => {};
  places = placesResult.ok ? placesResult.data.items : [];
  await loadPlans(query.plan);
  return () => {
    alive = false;
    revoke();
  };
}
