// 标准变更: what a new checklist or risk band table version asks this enterprise to re-judge,
// grouped by kind, each with its action (head and safety officer; online only).
import * as api from "../api.js";
import { currentEnterprise, roleCodes } from "../session.js";
import { codeOf, emptyState, formatDateTime, h, labelOf, loading, problemText, screenTitle, toast } from "../ui.js";

const GROUPS = [
  {
    subject: "hazard",
    title: "隐患重新定级",
    hint: "由主要负责人在隐患详情中重新定级（可维持原等级），理由须引用新的判定依据。",
  },
  {
    subject: "plan",
    title: "排查任务调整",
    hint: "手机端不能修改排查任务：请在电脑上打开企业工作台（/desk/）的“排查计划”调整检查项，再在此记录处理情况。",
    button: "记录处理情况",
    noteLabel: "处理情况（如：已将排查任务改为新版检查项）",
  },
  {
    subject: "assessment",
    title: "风险重新评估",
    hint: "按新分级表重新评估时沿用原评估的取值，生成新的评估记录，原评估保留。",
    button: "按新分级标准重新评估",
    noteLabel: "评估说明（如：已核对取值，按新分级表重新评估）",
  },
];

const OFFLINE = "当前无法连接服务器，标准变更事项需联网办理，请联网后重试。";

// The open items of this enterprise, for badges on other screens (null when unknown).
export async function openCount(enterpriseId) {
  const result = await api.request(`rejudge-items?enterprise_id=${enterpriseId}`);
  return result.ok && Array.isArray(result.data) ? result.data.length : null;
}

function levels(item) {
  if (!item.old_level || !item.new_level) return "";
  return h(
    "p.rejudge-levels",
    {},
    h("span", {}, `原等级：${labelOf(item.old_level)}`),
    " → ",
    h("strong", {}, `新标准：${labelOf(item.new_level)}`),
  );
}

function resolveForm(item, group, onDone) {
  const note = h("textarea", { id: `resolution-${item.id}`, rows: 3 });
  const error = h("p.error", { role: "alert" });
  const submit = h("button", { type: "submit" }, group.button);
  return h(
    "form.resolve-form",
    {
      onsubmit: async (event) => {
        event.preventDefault();
        const text = note.value.trim();
        if (!text) {
          error.textContent = "请填写处理情况。";
          return;
        }
        error.textContent = "";
        submit.disabled = true;
        const result = await api.request(`rejudge-items/${item.id}/resolve`, {
          method: "POST",
          json: { resolution: text },
        });
        submit.disabled = false;
        if (!result.ok) {
          error.textContent = result.status === 0 ? OFFLINE : problemText(result);
          return;
        }
        toast(codeOf(item.subject) === "assessment" ? "已按新分级标准重新评估" : "已记录处理情况", { kind: "ok" });
        onDone();
      },
    },
    h("label", { for: note.id }, group.noteLabel),
    note,
    error,
    submit,
  );
}

function itemCard(item, group, canAct, onDone) {
  const lines = item.explanation?.length ? item.explanation : [item.reason];
  return h(
    "article.card.rejudge-item",
    { dataset: { testid: "rejudge-item", subject: codeOf(item.subject), itemId: String(item.id) } },
    h("h3", {}, item.subject_title || group.title),
    h("p.small.muted", {}, `${item.standard} · ${formatDateTime(item.created_at)}`),
    levels(item),
    lines.map((line) => h("p", {}, line)),
    codeOf(item.subject) === "hazard"
      ? h("a.button.secondary", { href: `#/hazard/${item.hazard_id}` }, "查看隐患并重新定级")
      : canAct
        ? resolveForm(item, group, onDone)
        : h("p.small.muted", {}, "由主要负责人或安全管理员办理。"),
  );
}

export function mount(container) {
  let alive = true;
  const enterprise = currentEnterprise();
  const canAct = roleCodes().some((r) => ["head", "safety_officer"].includes(r));
  const list = h("div", {}, loading());

  async function refresh() {
    const result = await api.request(`rejudge-items?enterprise_id=${enterprise.id}`);
    if (!alive) return;
    if (!result.ok) {
      list.replaceChildren(h("p.error", { role: "alert" }, result.status === 0 ? OFFLINE : problemText(result)));
      return;
    }
    const items = Array.isArray(result.data) ? result.data : [];
    const groups = GROUPS.map((group) => ({ ...group, rows: items.filter((i) => codeOf(i.subject) === group.subject) })).filter(
      (group) => group.rows.length,
    );
    list.replaceChildren(
      result.cachedAt ? h("p.muted.small", { role: "status" }, `离线数据，更新于 ${formatDateTime(result.cachedAt)}；办理需联网。`) : "",
      ...(groups.length
        ? groups.map((group) =>
            h(
              "section.rejudge-group",
              { dataset: { group: group.subject } },
              h("h2", {}, `${group.title}（${group.rows.length}）`),
              h("p.small.muted", {}, group.hint),
              group.rows.map((item) => itemCard(item, group, canAct, refresh)),
            ),
          )
        : [emptyState("目前没有需要重新判定的事项。")]),
    );
  }

  container.replaceChildren(
    screenTitle("标准变更"),
    h("p.small.muted", {}, "检查表或风险分级表更新后，需要按新标准重新判定的隐患、排查任务和风险评估。"),
    list,
  );
  refresh();
  return () => {
    alive = false;
  };
}
