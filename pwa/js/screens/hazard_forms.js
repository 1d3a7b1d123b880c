// The phone's form for each hazard action the server offers (available_actions): confirm with
// level, category and deadline; the 五定 plan; the major hazard's governance plan and approval;
// rectification with after-photos; verification; regrade. Actions go through the outbox (keyed
// by a client UUID), so they work offline and are never sent twice.
import * as api from "../api.js";
import * as outbox from "../outbox.js";
import { photoField } from "../photo.js";
import { currentEnterprise } from "../session.js";
import { syncNow } from "../sync.js";
import { codeOf as code, h, uuid } from "../ui.js";
import { LEVEL_LABELS } from "./hazards.js";

export const CATEGORY_LABELS = {
  thing: "物的不安全状态",
  behaviour: "人的不安全行为",
  management: "管理上的缺陷",
  environment: "环境不良因素",
};
const PLAN = ["responsible", "measures", "funds", "deadline", "contingency"];

// Fields per action, in the order the form shows them.
export const FORMS = {
  confirm: { title: "确认隐患", fields: ["level", "category", "deadline"], button: "确认隐患" },
  plan: { title: "制定整改方案（五定）", fields: PLAN, button: "下达整改" },
  submit_plan: {
    title: "提交重大隐患治理方案",
    fields: ["governance_plan_id", ...PLAN],
    button: "提交治理方案，报主要负责人批准",
  },
  approve_plan: { title: "批准治理方案", fields: ["note"], note: "审批意见（可选）", button: "批准治理方案" },
  submit_rectification: {
    title: "提交整改",
    fields: ["after_media_ids", "note"],
    note: "整改情况说明",
    noteRequired: true,
    button: "提交整改，申请验收",
  },
  fix_on_spot: { title: "即查即改", fields: ["after_media_ids", "note"], note: "处理情况说明", button: "已当场整改" },
  verify_pass: { title: "验收通过", fields: ["note"], note: "验收意见（可选）", button: "验收通过" },
  verify_reject: { title: "验收不通过", fields: ["reason"], reason: "不通过的原因", button: "验收不通过，退回整改" },
  reject: { title: "驳回", fields: ["reason"], reason: "驳回原因", button: "驳回该隐患" },
  // After a standard change the head decides the level again and cites the new basis.
  regrade: {
    title: "重新定级",
    fields: ["level", "reason"],
    levelLabel: "重新判定后的等级",
    reason: "重新定级理由（请引用新的判定依据）",
    button: "确认重新定级",
  },
};

// Pure: tomorrow-or-later dates are fine, the deadline field's minimum is today (local).
export function localToday(now = new Date()) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

// Pure: "1200", "0", "12.5" are amounts; anything else is not (two places at most).
export function isAmount(text) {
  return /^\d{1,10}(\.\d{1,2})?$/.test(String(text).trim());
}

// The enterprise's people, for the 整改责任人 choice (the server refuses anyone else).
async function peopleOptions(select, enterpriseId, chosen) {
  const result = await api.request(`enterprises/${enterpriseId}/users`);
  const people = result.ok ? (Array.isArray(result.data) ? result.data : result.data?.items || []) : [];
  select.replaceChildren(
    h("option", { value: "" }, people.length ? "请选择" : "人员名单暂时无法加载"),
    ...people
      .filter((p) => p.is_active !== false)
      .map((p) => h("option", { value: String(p.id), selected: String(p.id) === String(chosen ?? "") }, p.display_name)),
  );
}

function select(id, options, chosen) {
  return h(
    "select",
    { id },
    h("option", { value: "" }, "请选择"),
    Object.entries(options).map(([value, text]) => h("option", { value, selected: value === chosen }, text)),
  );
}

function labelled(input, text) {
  return [h("label", { for: input.id }, text), input];
}

// Builds the inputs of one action and returns {nodes, read()} where read() gives the payload
// fields or an error sentence.
function inputsFor(hazard, action, spec, clientId, enterprise) {
  const nodes = [];
  const readers = [];
  const id = (name) => `${name}-${action}`;
  const place = hazard.place?.name || hazard.place_name;
  const photoContext = () => ({ enterpriseId: enterprise?.id, enterpriseName: enterprise?.name, placeName: place });
  let afterPhotos = [];
  let planPhotos = [];
  for (const field of spec.fields) {
    if (field === "level") {
      const chosen = action === "confirm" ? code(hazard.proposed_level) : "";
      const input = select(id("level"), LEVEL_LABELS, chosen);
      nodes.push(labelled(input, spec.levelLabel || "隐患等级"));
      readers.push(() => (input.value ? { level: input.value } : action === "regrade" ? "请选择重新判定后的等级。" : "请选择隐患等级。"));
    } else if (field === "category") {
      const input = select(id("category"), CATEGORY_LABELS, code(hazard.category) || "");
      nodes.push(labelled(input, "隐患类别"));
      readers.push(() => (input.value ? { category: input.value } : "请选择隐患类别。"));
    } else if (field === "deadline") {
      const input = h("input", { id: id("deadline"), type: "date", min: localToday(), value: hazard.deadline || "" });
      nodes.push(labelled(input, "整改期限"));
      readers.push(() => {
        if (!input.value) return "请填写整改期限。";
        if (input.value < localToday()) return "整改期限不能早于今天。";
        return { deadline: input.value };
      });
    } else if (field === "responsible") {
      const input = h("select", { id: id("responsible") }, h("option", { value: "" }, "正在加载人员…"));
      peopleOptions(input, hazard.enterprise_id, hazard.responsible_user_id);
      nodes.push(labelled(input, "整改责任人"));
      readers.push(() => (input.value ? { responsible_user_id: Number(input.value) } : "请指定整改责任人。"));
    } else if (["measures", "contingency"].includes(field)) {
      const input = h("textarea", { id: id(field), rows: 3, value: hazard[field] || "" });
      const text = field === "measures" ? "整改措施" : "应急预案（整改期间的防范措施）";
      nodes.push(labelled(input, text));
      readers.push(() => (input.value.trim() ? { [field]: input.value.trim() } : `请填写${text.replace(/（.*）/, "")}。`));
    } else if (field === "funds") {
      const input = h("input", { id: id("funds"), inputmode: "decimal", value: hazard.funds ?? "", placeholder: "0" });
      nodes.push(labelled(input, "整改资金（元）"));
      readers.push(() => (isAmount(input.value) ? { funds: input.value.trim() } : "请填写整改资金（元，最多两位小数）。"));
    } else if (field === "governance_plan_id") {
      nodes.push(
        h("p.small", {}, "重大隐患治理方案（拍摄方案文件）"),
        photoField({
          ids: [],
          owner: clientId,
          label: "拍摄治理方案",
          required: true,
          context: photoContext,
          onChange: (ids) => {
            planPhotos = ids;
          },
        }),
      );
      readers.push(() => (planPhotos.length ? { governance_plan_id: planPhotos[0] } : "请拍摄或上传重大隐患治理方案。"));
    } else if (field === "after_media_ids") {
      nodes.push(
        h("p.small", {}, "整改后照片"),
        photoField({
          ids: [],
          owner: clientId,
          label: "拍摄整改后照片",
          required: action === "submit_rectification",
          context: photoContext,
          onChange: (ids) => {
            afterPhotos = ids;
          },
        }),
      );
      readers.push(() =>
        action === "submit_rectification" && !afterPhotos.length ? "请拍摄至少一张整改后照片。" : { after_media_ids: afterPhotos },
      );
    } else if (field === "note") {
      const input = h("textarea", { id: id("note"), rows: 3 });
      nodes.push(labelled(input, spec.note));
      readers.push(() => {
        if (spec.noteRequired && !input.value.trim()) return `请填写${spec.note}。`;
        return input.value.trim() ? { note: input.value.trim() } : {};
      });
    } else if (field === "reason") {
      const input = h("textarea", { id: id("reason"), rows: 3 });
      nodes.push(labelled(input, spec.reason));
      readers.push(() => (input.value.trim() ? { reason: input.value.trim() } : `请填写${spec.reason}。`));
    }
  }
  const media = () => [...planPhotos.slice(0, 1), ...afterPhotos];
  const read = () => {
    const payload = {};
    for (const reader of readers) {
      const value = reader();
      if (typeof value === "string") return value;
      Object.assign(payload, value);
    }
    return payload;
  };
  return { nodes, read, media };
}

// One action's form; on submit the action is queued in the outbox and onQueued(entryId) runs.
export function actionForm(hazard, action, onQueued) {
  const spec = FORMS[action];
  const clientId = uuid();
  const enterprise = currentEnterprise();
  const error = h("p.error", { role: "alert" });
  const inputs = inputsFor(hazard, action, spec, clientId, enterprise);
  const submit = h(`button${action.includes("reject") ? ".danger" : ""}`, { type: "submit" }, spec.button);
  return h(
    "form.card.action-form",
    {
      "data-action": action,
      onsubmit: async (event) => {
        event.preventDefault();
        const fields = inputs.read();
        if (typeof fields === "string") {
          error.textContent = fields;
          return;
        }
        submit.disabled = true;
        const payload = {
          hazard_id: String(hazard.id),
          action,
          expected_state: code(hazard.state),
          client_id: clientId,
          ...fields,
        };
        await outbox.add({
          id: clientId,
          kind: "transition",
          payload,
          media: inputs.media(),
          enterpriseId: enterprise?.id ?? null,
          label: { title: hazard.title },
        });
        syncNow();
        onQueued(clientId);
      },
    },
    h("h2", {}, spec.title),
    inputs.nodes,
    error,
    submit,
  );
}
