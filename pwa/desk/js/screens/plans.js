// 排查计划 (enterprise desk): the enterprise's inspection plans — checklist (whole, a profile or
// chosen items), places, person or role, frequency and work calendar — and its stop periods
// (停用/检修) during which windows are not due.
import { api } from "../api.js";
import { enterpriseId, hasRole } from "../session.js";
import { fill, fmtDateTime, h, showProblem, table, toast } from "../ui.js";

const TYPES = [
  ["daily", "日常排查"],
  ["patrol", "巡检"],
  ["weekly", "周排查"],
  ["monthly", "月排查"],
  ["seasonal", "季节性排查"],
  ["holiday", "节假日排查"],
  ["comprehensive", "综合性排查"],
  ["special", "专项排查"],
  ["responsibility", "包保责任人排查"],
];
const UNITS = [
  ["hour", "小时"],
  ["shift", "班"],
  ["day", "天"],
  ["week", "周"],
  ["month", "月"],
  ["quarter", "季度"],
  ["year", "年"],
];
const DAY_TYPES = [
  ["every_day", "每天"],
  ["workdays", "法定工作日"],
  ["non_workdays", "非法定工作日"],
];
const ROLES = [
  ["inspector", "排查人员（角色）"],
  ["safety_officer", "安全管理员（角色）"],
  ["head", "主要负责人（角色）"],
  ["rectifier", "整改人员（角色）"],
];

function options(list, selected) {
  return list.map(([v, l]) => h("option", { value: v, text: l, selected: v === selected }));
}

export async function mount(container) {
  const enterprise = enterpriseId();
  const canEdit = hasRole("head", "safety_officer");
  let alive = true;
  let places = [];
  let staff = [];
  const problem = h("div");
  const list = h("div", { dataset: { testid: "plans" } }, h("p", { class: "muted", text: "正在加载…" }));
  const stops = h("div", { dataset: { testid: "stops" } });

  const assigneeText = (p) => {
    if (p.assignee_user_id) return staff.find((u) => u.id === p.assignee_user_id)?.display_name || `用户 ${p.assignee_user_id}`;
    return (ROLES.find(([v]) => v === p.assignee_role) || [null, p.assignee_role])[1];
  };

  async function toggle(plan) {
    const result = await api("PATCH", `/api/v1/plans/${plan.id}`, { is_active: !plan.is_active });
    if (!result.ok) return showProblem(problem, result.problem);
    await reload();
  }

  async function reload() {
    const [plans, stopList] = await Promise.all([
      api("GET", `/api/v1/enterprises/${enterprise}/plans?limit=200`),
      api("GET", `/api/v1/enterprises/${enterprise}/stop-periods?limit=50`),
    ]);
    if (!alive) return;
    if (!plans.ok) return showProblem(list, plans.problem);
    fill(
      list,
      table(
        [
          { key: "title", label: "计划" },
          { key: "checklist", label: "检查表", render: (p) => `${p.checklist_code}${p.profile ? `（${p.profile}）` : ""}${p.item_ids ? `，${p.item_ids.length} 项` : ""}` },
          { key: "type", label: "类型", render: (p) => p.inspection_type?.label },
          { key: "frequency", label: "频次", render: (p) => `每 ${p.frequency_every} ${p.frequency_unit?.label}，${p.day_type?.label}` },
          { key: "places", label: "地点", render: (p) => (p.places.length ? p.places.map((x) => x.name).join("、") : "全企业") },
          { key: "assignee", label: "排查人", render: assigneeText },
          { key: "active", label: "状态", render: (p) => (p.is_active ? "执行中" : "已停止") },
          {
            key: "actions",
            label: "",
            render: (p) =>
              canEdit
                ? h(
                    "span",
                    {},
                    h("button", { type: "button", class: "small", text: p.is_active ? "停止" : "恢复", on: { click: () => toggle(p) } }),
                    " ",
                    h("button", { type: "button", class: "small secondary", text: "编辑", dataset: { testid: "plan-edit" }, on: { click: () => edit(p) } }),
                  )
                : "",
          },
        ],
        plans.data.items || [],
        { testid: "plans-table", empty: "尚无排查计划。", rowAttrs: (p) => ({ dataset: { testid: "plan-row", planId: p.id } }) },
      ),
    );
    if (stopList.ok)
      fill(
        stops,
        h("h2", { text: "停用/检修期" }),
        table(
          [
            { key: "place", label: "地点", render: (s) => places.find((p) => p.id === s.place_id)?.name || "全企业" },
            { key: "start_at", label: "开始", render: (s) => fmtDateTime(s.start_at) },
            { key: "end_at", label: "结束", render: (s) => fmtDateTime(s.end_at) },
            { key: "reason", label: "原因" },
          ],
          stopList.data.items || [],
          { empty: "无停用/检修期。" },
        ),
        canEdit ? stopForm() : null,
      );
  }

  function stopForm() {
    const place = h("select", { "aria-label": "停用地点" }, h("option", { value: "", text: "全企业" }), places.map((p) => h("option", { value: p.id, text: p.name })));
    const start = h("input", { type: "datetime-local", "aria-label": "开始时间", required: true });
    const end = h("input", { type: "datetime-local", "aria-label": "结束时间", required: true });
    const reason = h("input", { placeholder: "原因（如 停产检修）", "aria-label": "原因", required: true });
    const form = h("form", { class: "inline-form" }, place, start, end, reason, h("button", { type: "submit", text: "登记停用/检修" }));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const iso = (v) => new Date(v).toISOString();
      const result = await api("POST", `/api/v1/enterprises/${enterprise}/stop-periods`, {
        place_id: place.value ? Number(place.value) : null,
        start_at: iso(start.value),
        end_at: iso(end.value),
        reason: reason.value,
      });
      if (!result.ok) return showProblem(problem, result.problem);
      toast("已登记停用/检修期");
      await reload();
    });
    return form;
  }

  // Show the form for a new plan, or for changing `plan` (title, frequency, calendar, assignee
  // and places; the checklist and the type stay as they are: tasks already done refer to them).
  function showForm(plan = null) {
    if (checklistList) fill(formSlot, planForm(checklistList, plan));
  }

  function edit(plan) {
    showForm(plan);
    formSlot.scrollIntoView({ block: "start" });
  }

  function planForm(checklists, plan = null) {
    const editing = Boolean(plan);
    const code = (value) => (value && typeof value === "object" ? value.code : value);
    const title = h("input", { placeholder: "计划名称", "aria-label": "计划名称", required: true, value: plan?.title || "" });
    const checklist = h(
      "select",
      { "aria-label": "检查表", disabled: editing },
      checklists.map((c) => h("option", { value: c.code, text: `${c.title}（${c.item_count} 项）`, selected: c.code === plan?.checklist_code })),
    );
    const profile = h("input", { placeholder: "简版代码（可选，如 small_micro）", "aria-label": "简版", disabled: editing, value: plan?.profile || "" });
    const items = h("input", { placeholder: "检查项编号（可选，逗号分隔）", "aria-label": "检查项", disabled: editing, value: (plan?.item_ids || []).join(",") });
    const type = h("select", { "aria-label": "排查类型", disabled: editing }, options(TYPES, code(plan?.inspection_type) || "daily"));
    const every = h("input", { type: "number", min: 1, value: plan?.frequency_every || 1, "aria-label": "每", style: { width: "4em" } });
    const unit = h("select", { "aria-label": "频次单位" }, options(UNITS, code(plan?.frequency_unit) || "day"));
    const dayType = h("select", { "aria-label": "工作日历" }, options(DAY_TYPES, code(plan?.day_type) || "every_day"));
    const chosen = plan?.assignee_user_id ? `user:${plan.assignee_user_id}` : plan?.assignee_role || "inspector";
    const assignee = h(
      "select",
      { "aria-label": "排查人" },
      options(ROLES, chosen),
      staff.map((u) => h("option", { value: `user:${u.id}`, text: u.display_name, selected: `user:${u.id}` === chosen })),
    );
    const planned = new Set((plan?.places || []).map((x) => x.id));
    const placeBox = h(
      "fieldset",
      { class: "places-pick" },
      h("legend", { text: "地点（不选则全企业）" }),
      places.map((p) => h("label", {}, h("input", { type: "checkbox", value: p.id, checked: planned.has(p.id) }), ` ${p.name} `)),
    );
    const cancel = editing
      ? h("button", { type: "button", class: "secondary", text: "取消编辑", dataset: { testid: "plan-cancel" }, on: { click: () => showForm() } })
      : null;
    const form = h(
      "form",
      { class: "stack-form", dataset: { testid: "plan-form", mode: editing ? "edit" : "create" } },
      h("h2", { text: editing ? `修改排查计划：${plan.title}` : "新增排查计划" }),
      editing ? h("p", { class: "muted", text: "检查表、简版、检查项和排查类型不能修改（已完成的任务按原计划记录）；如需更换，请停止本计划并新增计划。" }) : null,
      title, checklist, profile, items, type,
      h("span", {}, "每 ", every, " ", unit, " ", dayType),
      assignee, placeBox,
      h("span", {}, h("button", { type: "submit", text: editing ? "保存修改" : "保存计划", dataset: { testid: "plan-save" } }), " ", cancel),
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const who = assignee.value.startsWith("user:") ? { assignee_user_id: Number(assignee.value.slice(5)), assignee_role: null } : { assignee_role: assignee.value, assignee_user_id: null };
      const schedule = {
        title: title.value,
        frequency_every: Number(every.value),
        frequency_unit: unit.value,
        day_type: dayType.value,
        place_ids: [...placeBox.querySelectorAll("input:checked")].map((i) => Number(i.value)),
        ...who,
      };
      let result;
      if (editing) {
        result = await api("PATCH", `/api/v1/plans/${plan.id}`, schedule);
      } else {
        const itemIds = items.value.split(/[,，\s]+/).filter(Boolean);
        result = await api("POST", `/api/v1/enterprises/${enterprise}/plans`, {
          ...schedule,
          checklist_code: checklist.value,
          profile: profile.value || null,
          item_ids: itemIds.length ? itemIds : null,
          inspection_type: type.value,
        });
      }
      if (!result.ok) return showProblem(problem, result.problem);
      fill(problem);
      toast(editing ? "已保存修改" : "已保存排查计划");
      showForm();
      await reload();
    });
    return form;
  }

  const formSlot = h("div", { dataset: { testid: "plan-form-slot" } });
  let checklistList = null;
  fill(container, h("h1", { text: "排查计划" }), problem, list, stops, formSlot);
  const [p, u, c] = await Promise.all([
    api("GET", `/api/v1/enterprises/${enterprise}/places?limit=200&is_active=true`),
    api("GET", `/api/v1/enterprises/${enterprise}/users`),
    api("GET", `/api/v1/checklists?enterprise_id=${enterprise}`),
  ]);
  if (!alive) return () => {};
  places = p.ok ? p.data.items : [];
  staff = u.ok ? u.data.filter((x) => x.is_active) : [];
  await reload();
  if (canEdit && c.ok) {
    checklistList = c.data;
    showForm();
  }
  return () => {
    alive = false;
  };
}
