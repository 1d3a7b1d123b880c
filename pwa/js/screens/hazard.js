// One hazard: its facts, photos and history, and the actions this user may take now. Actions go
// through the outbox (keyed by a client UUID), so they work offline and are never sent twice.
import * as api from "../api.js";
import * as db from "../db.js";
import * as outbox from "../outbox.js";
import { photoField } from "../photo.js";
import { currentEnterprise } from "../session.js";
import { syncNow } from "../sync.js";
import { codeOf as code, fill, formatDateTime, h, labelOf as label, loading, problemText, screenTitle, toast, uuid } from "../ui.js";
import { LEVEL_LABELS, STATE_LABELS } from "./hazards.js";

// What each action asks for on the phone. Other actions (confirm, plan, …) need the desk app.
const FORMS = {
  submit_rectification: { title: "提交整改", photos: true, note: "整改情况说明", noteRequired: true, button: "提交整改，申请验收" },
  fix_on_spot: { title: "即查即改", photos: true, note: "处理情况说明", button: "已当场整改" },
  verify_pass: { title: "验收通过", note: "验收意见（可选）", button: "验收通过" },
  verify_reject: { title: "验收不通过", reason: "不通过的原因", button: "验收不通过，退回整改" },
  approve_plan: { title: "批准治理方案", note: "审批意见（可选）", button: "批准治理方案" },
  reject: { title: "驳回", reason: "驳回原因", button: "驳回该隐患" },
};
const ACTION_LABELS = {
  confirm: "确认",
  reject: "驳回",
  fix_on_spot: "即查即改",
  plan: "制定整改方案",
  submit_plan: "提交治理方案",
  approve_plan: "批准治理方案",
  submit_rectification: "提交整改",
  verify_pass: "验收通过",
  verify_reject: "验收不通过",
  signoff: "核销",
  signoff_reject: "退回整改",
};

async function photoStrip(ids) {
  const figures = [];
  for (const id of ids || []) {
    const result = await api.request(`media/${id}/thumb`, { timeout: 15000 });
    if (result.ok && result.data instanceof Blob) {
      figures.push(h("img", { src: URL.createObjectURL(result.data), alt: "现场照片" }));
    }
  }
  return figures.length ? h("div.photos.readonly", {}, figures) : h("p.small.muted", {}, `照片 ${ids?.length || 0} 张（联网后可查看）`);
}

// The verifier judges the rectification by these photos.
function afterPhotos(ids) {
  const slot = h("div.after-photos", {}, h("span.small.muted", {}, "正在加载整改后照片…"));
  photoStrip(ids).then((strip) => slot.replaceChildren(strip));
  return slot;
}

function historyList(rows) {
  if (!rows?.length) return "";
  return h(
    "ol.history",
    {},
    rows.map((t) =>
      h(
        "li",
        {},
        h("strong", {}, label(t.action, ACTION_LABELS)),
        ` ${t.actor_label || t.actor_name || ""} · ${formatDateTime(t.created_at)}`,
        t.note ? h("span.small", {}, `说明：${t.note}`) : "",
        t.reason || t.evidence?.reason ? h("span.small", {}, `原因：${t.reason || t.evidence.reason}`) : "",
        t.evidence?.after_photos?.length ? afterPhotos(t.evidence.after_photos) : "",
      ),
    ),
  );
}

function actionForm(hazard, action, onQueued) {
  const spec = FORMS[action];
  const clientId = uuid();
  const error = h("p.error", { role: "alert" });
  let photos = [];
  const note = spec.note ? h("textarea", { id: `note-${action}`, rows: 3 }) : null;
  const reason = spec.reason ? h("textarea", { id: `reason-${action}`, rows: 3 }) : null;
  const submit = h(`button${action.includes("reject") ? ".danger" : ""}`, { type: "submit" }, spec.button);
  const enterprise = currentEnterprise();
  return h(
    "form.card.action-form",
    {
      "data-action": action,
      onsubmit: async (event) => {
        event.preventDefault();
        if (spec.photos && action === "submit_rectification" && !photos.length) {
          error.textContent = "请拍摄至少一张整改后照片。";
          return;
        }
        if (spec.noteRequired && !note.value.trim()) {
          error.textContent = `请填写${spec.note}。`;
          return;
        }
        if (reason && !reason.value.trim()) {
          error.textContent = `请填写${spec.reason}。`;
          return;
        }
        submit.disabled = true;
        const payload = {
          hazard_id: String(hazard.id),
          action,
          expected_state: code(hazard.state),
          client_id: clientId,
        };
        if (note?.value.trim()) payload.note = note.value.trim();
        if (reason) payload.reason = reason.value.trim();
        if (spec.photos) payload.after_photos = photos;
        await outbox.add({
          id: clientId,
          kind: "transition",
          payload,
          media: photos,
          enterpriseId: enterprise?.id ?? null,
          label: { title: hazard.title },
        });
        syncNow();
        onQueued(clientId);
      },
    },
    h("h2", {}, spec.title),
    spec.photos
      ? h(
          "div",
          {},
          h("p.small", {}, "整改后照片"),
          photoField({
            ids: [],
            owner: clientId,
            label: "拍摄整改后照片",
            required: action === "submit_rectification",
            context: () => ({
              enterpriseId: enterprise?.id,
              enterpriseName: enterprise?.name,
              placeName: hazard.place?.name || hazard.place_name,
              gps: null,
            }),
            onChange: (ids) => {
              photos = ids;
            },
          }),
        )
      : "",
    note ? h("label", { for: note.id }, spec.note) : "",
    note,
    reason ? h("label", { for: reason.id }, spec.reason) : "",
    reason,
    error,
    submit,
  );
}

export function mount(container, params) {
  let alive = true;
  let justQueued = null;
  const body = h("div", {}, loading());
  container.replaceChildren(screenTitle("隐患详情"), body);

  async function render() {
    const [result, entries] = await Promise.all([api.request(`hazards/${params.id}`), db.listOutbox()]);
    if (!alive) return;
    if (!result.ok) {
      body.replaceChildren(h("p.error", { role: "alert" }, problemText(result)));
      return;
    }
    const hazard = result.data;
    // What this person just did on this screen stays visible, synced or not; otherwise any
    // action of theirs still waiting in the outbox.
    const waiting =
      entries.find((e) => e.id === justQueued) ||
      entries.find((e) => e.kind === "transition" && e.payload.hazard_id === String(hazard.id) && e.state !== "synced");
    const available = (hazard.available_actions || []).map(code);
    const forms = available.filter((a) => FORMS[a]);
    const deskOnly = available.filter((a) => !FORMS[a]);
    const level = code(hazard.level) || code(hazard.proposed_level);
    const facts = [
      ["状态", label(hazard.state, STATE_LABELS)],
      ["等级", LEVEL_LABELS[level] || ""],
      ["检查点", hazard.place?.name || hazard.place_name || ""],
      ["整改期限", hazard.deadline || ""],
      ["整改措施", hazard.measures || ""],
      ["上报时间", formatDateTime(hazard.reported_at)],
    ].filter(([, v]) => v);
    const photos = h("div");
    fill(
      body,
      h(
        "section.card",
        {},
        h("h2", {}, hazard.title),
        hazard.description ? h("p", {}, hazard.description) : "",
        h("dl.facts", {}, facts.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
        photos,
      ),
      waiting
        ? h(
            "section.card.queued-action",
            { dataset: { state: waiting.state } },
            h(
              "p",
              {},
              `您的“${ACTION_LABELS[waiting.payload.action] || waiting.payload.action}”`,
              waiting.state === "synced"
                ? `已同步，服务器接收于 ${formatDateTime(waiting.receipt?.received_at, { seconds: true })}。`
                : `已保存在本机，状态：${outbox.STATE_LABELS[waiting.state]}。`,
            ),
            waiting.state !== "synced" && waiting.last_error ? h("p.small.muted", {}, waiting.last_error) : "",
            h("a.button.secondary", { href: "#/records" }, "查看同步记录"),
          )
        : forms.map((action) =>
            actionForm(hazard, action, (entryId) => {
              justQueued = entryId;
              toast("已保存，正在同步", { kind: "ok" });
              render();
            }),
          ),
      !waiting && deskOnly.length
        ? h("p.small.muted", {}, `其他操作（${deskOnly.map((a) => ACTION_LABELS[a] || a).join("、")}）请在电脑端办理。`)
        : "",
      h("section.card", {}, h("h2", {}, "处理记录"), historyList(hazard.history || hazard.transitions)),
    );
    photoStrip(hazard.photo_ids).then((strip) => alive && photos.replaceChildren(strip));
  }

  render();
  const onSynced = (event) => {
    if (event.detail?.payload?.hazard_id === String(params.id)) render();
  };
  window.addEventListener("anxun:synced", onSynced);
  return () => {
    alive = false;
    window.removeEventListener("anxun:synced", onSynced);
  };
}
