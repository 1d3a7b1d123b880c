// 在线巡查: the bureau's patrols (or the agency's commissioned ones) and the "new patrol" form.
// `#/patrols?assignment=<id>&enterprise_id=<id>` opens an on-site patrol for a 双随机 assignment.
import { api } from "../api.js";
import { href, navigate } from "../routes.js";
import { isAuditor } from "../session.js";
import { badge, enumBadge, fill, fmtDateTime, h, showProblem, table } from "../ui.js";

function modeCell(r) {
  return h(
    "span",
    { dataset: { testid: "patrol-mode-cell" } },
    r.mode.label,
    r.is_unannounced ? [" ", badge("alert", "四不两直")] : null,
  );
}

function assignmentCell(r) {
  if (!r.spot_check_assignment_id) return "—";
  const text = `抽查任务 #${r.spot_check_assignment_id}`;
  if (!r.spot_check_draw_id) return text;
  return h("a", { href: href("spot-check", r.spot_check_draw_id), text, dataset: { testid: "patrol-assignment-link" } });
}

const COLUMNS = [
  { key: "id", label: "编号", render: (r) => h("a", { href: href("patrol", r.id), text: `#${r.id}`, dataset: { testid: "patrol-link" } }) },
  { key: "enterprise_name", label: "企业" },
  { key: "mode", label: "方式", render: modeCell },
  { key: "spot_check_assignment_id", label: "双随机抽查", render: assignmentCell },
  { key: "agency_name", label: "委托机构", render: (r) => r.agency_name || "—" },
  { key: "state", label: "状态", render: (r) => enumBadge(r.state) },
  { key: "opened_by_name", label: "发起人" },
  { key: "opened_at", label: "开始时间", render: (r) => fmtDateTime(r.opened_at) },
];

async function enterpriseOptions() {
  const result = await api("GET", "/api/v1/enterprises?limit=200&sort=name");
  return result.ok ? result.data.items : [];
}

function newPatrolForm(enterprises, query, onCreated) {
  const problem = h("div");
  const assignmentId = /^\d+$/.test(query.assignment || "") ? Number(query.assignment) : null;
  const enterprise = h(
    "select",
    { name: "enterprise_id", dataset: { testid: "patrol-enterprise" } },
    enterprises.map((e) => h("option", { value: String(e.id), text: e.name, selected: String(e.id) === query.enterprise_id })),
  );
  const mode = h(
    "select",
    { name: "mode", dataset: { testid: "patrol-mode" } },
    h("option", { value: "online", text: "网上巡查" }),
    h("option", { value: "on_site", text: "现场检查", selected: assignmentId !== null }),
  );
  const unannounced = h("input", { type: "checkbox", name: "is_unannounced", checked: assignmentId !== null, dataset: { testid: "patrol-unannounced" } });
  // A spot-check assignment is inspected on site; the link is optional and may be unticked.
  const linked = assignmentId === null ? null : h("input", { type: "checkbox", checked: true, dataset: { testid: "patrol-assignment" } });
  const onSiteOnly = () => {
    if (linked && linked.checked) mode.value = "on_site";
  };
  mode.addEventListener("change", onSiteOnly);
  if (linked) linked.addEventListener("change", onSiteOnly);
  const form = h(
    "form",
    { class: "filters card", dataset: { testid: "patrol-new" } },
    h("label", {}, "企业", enterprise),
    h("label", {}, "方式", mode),
    h("label", {}, "四不两直（仅现场）", unannounced),
    linked ? h("label", {}, `关联双随机抽查任务 #${assignmentId}`, linked) : null,
    h("button", { type: "submit", class: "primary", text: "开始巡查", dataset: { testid: "patrol-open" } }),
    problem,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { enterprise_id: Number(enterprise.value), mode: mode.value, is_unannounced: unannounced.checked };
    if (linked && linked.checked) body.spot_check_assignment_id = assignmentId;
    const result = await api("POST", "/api/v1/patrols", body);
    if (!result.ok) return showProblem(problem, result.problem);
    onCreated(result.data);
  });
  return form;
}

export async function mount(container, params) {
  const query = params.query || {};
  const list = h("div");
  const formSlot = h("div");
  const state = h(
    "select",
    { dataset: { testid: "patrols-state" } },
    [["", "全部状态"], ["open", "进行中"], ["submitted", "已提交"], ["closed", "已结束"]].map(([v, t]) =>
      h("option", { value: v, text: t, selected: (query.state || "") === v }),
    ),
  );
  const mode = h(
    "select",
    { dataset: { testid: "patrols-mode" } },
    [["", "全部方式"], ["online", "网上巡查"], ["on_site", "现场检查"]].map(([v, t]) =>
      h("option", { value: v, text: t, selected: (query.mode || "") === v }),
    ),
  );
  fill(
    container,
    h("div", { class: "screen-head" }, h("h1", { text: isAuditor() ? "委托网上巡查" : "在线巡查" })),
    formSlot,
    h("div", { class: "filters" }, h("label", {}, "状态", state), h("label", {}, "方式", mode)),
    list,
  );
  async function load() {
    const filters = new URLSearchParams(Object.entries({ state: state.value, mode: mode.value }).filter(([, v]) => v)).toString();
    const search = filters ? `?${filters}` : "";
    const result = await api("GET", `/api/v1/patrols${search}`);
    if (!result.ok) return showProblem(list, result.problem);
    fill(list, table(COLUMNS, result.data.items, { testid: "patrols-table", rowAttrs: (r) => ({ dataset: { patrolId: String(r.id) } }) }));
  }
  state.addEventListener("change", load);
  mode.addEventListener("change", load);
  fill(formSlot, newPatrolForm(await enterpriseOptions(), query, (patrol) => navigate("patrol", patrol.id)));
  await load();
}
