// One hazard: its facts, photos and history, and the actions this user may take now, each with
// its phone form (screens/hazard_forms.js). Photos open at full size.
import * as api from "../api.js";
import * as db from "../db.js";
import * as outbox from "../outbox.js";
import { photoStrip } from "../viewer.js";
import { fill, formatDateTime, h, labelOf as label, loading, problemText, screenTitle, toast, codeOf as code } from "../ui.js";
import { actionForm, FORMS } from "./hazard_forms.js";
import { LEVEL_LABELS, STATE_LABELS } from "./hazards.js";

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
  regrade: "重新定级",
};

// The verifier judges the rectification by these photos.
function afterPhotos(ids) {
  const slot = h("div.after-photos", {}, h("span.small.muted", {}, "正在加载整改后照片…"));
  photoStrip(ids, "整改后照片").then((strip) => slot.replaceChildren(strip));
  return slot;
}

// Before and after, side by side, above the verification forms.
function beforeAfter(hazard) {
  const last = [...(hazard.history || [])].reverse().find((t) => t.evidence?.after_media_ids?.length);
  if (!last) return "";
  const before = h("div", {}, h("span.small.muted", {}, "正在加载…"));
  const after = h("div", {}, h("span.small.muted", {}, "正在加载…"));
  photoStrip(hazard.media_ids, "整改前照片").then((strip) => before.replaceChildren(strip));
  photoStrip(last.evidence.after_media_ids, "整改后照片").then((strip) => after.replaceChildren(strip));
  return h(
    "section.card.before-after",
    {},
    h("h2", {}, "整改前后对比"),
    h("div.compare", {}, h("div", {}, h("h3", {}, "整改前"), before), h("div", {}, h("h3", {}, "整改后"), after)),
    last.note ? h("p.small", {}, `整改说明：${last.note}`) : "",
  );
}

// Each reference as the server words it for people: no article that awaits verification.
function basisLines(basis) {
  if (!basis?.length) return "";
  return h(
    "ul.basis",
    {},
    basis.map((b) =>
      h("li", {}, b.citation, b.is_clause_pending ? h("span.badge.warn", { title: "条款待核实，以文件原文为准" }, "待核实") : ""),
    ),
  );
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
        ` ${t.actor_name || ""} · ${formatDateTime(t.created_at)}`,
        t.note ? h("span.small", {}, `说明：${t.note}`) : "",
        t.reason || t.evidence?.reason ? h("span.small", {}, `原因：${t.reason || t.evidence.reason}`) : "",
        t.evidence?.from_level && t.evidence?.level
          ? h("span.small.regrade-levels", {}, `等级：${LEVEL_LABELS[t.evidence.from_level]} → ${LEVEL_LABELS[t.evidence.level]}`)
          : "",
        t.evidence?.after_media_ids?.length ? afterPhotos(t.evidence.after_media_ids) : "",
      ),
    ),
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
    const level = code(hazard.level) || code(hazard.proposed_level);
    const facts = [
      ["状态", label(hazard.state, STATE_LABELS)],
      ["等级", LEVEL_LABELS[level] || ""],
      ["检查点", hazard.place?.name || hazard.place_name || ""],
      ["类别", label(hazard.category) || ""],
      ["整改期限", hazard.deadline || ""],
      ["整改责任人", hazard.responsible_name || ""],
      ["整改措施", hazard.measures || ""],
      ["整改资金", hazard.funds != null ? `${hazard.funds} 元` : ""],
      ["应急预案", hazard.contingency || ""],
      ["上报人", hazard.reported_by_name || ""],
      ["依据", basisLines(hazard.basis)],
      ["上报时间", formatDateTime(hazard.reported_at)],
    ].filter(([, v]) => v);
    const photos = h("div");
    const plan = h("div");
    const rejudge = hazard.rejudge || [];
    fill(
      body,
      h(
        "section.card",
        {},
        h("h2", {}, hazard.title),
        hazard.description ? h("p", {}, hazard.description) : "",
        h("dl.facts", {}, facts.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
        photos,
        hazard.governance_plan_id ? h("div.governance-plan", {}, h("h3", {}, "重大隐患治理方案"), plan) : "",
      ),
      rejudge.length
        ? h(
            "section.card.rejudge",
            {},
            h("h2", {}, "标准变更：需重新判定"),
            rejudge.map((item) =>
              h(
                "div",
                {},
                h("p.small.muted", {}, item.standard),
                (item.explanation?.length ? item.explanation : [item.reason]).map((line) => h("p", {}, line)),
              ),
            ),
            available.includes("regrade") ? "" : h("p.small.muted", {}, "由主要负责人重新定级。"),
          )
        : "",
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
        : "",
      // The next step's form appears once the previous one has reached the server.
      waiting && waiting.state !== "synced"
        ? ""
        : [
            forms.some((a) => a.startsWith("verify_")) ? beforeAfter(hazard) : "",
            forms.map((action) =>
              actionForm(hazard, action, (entryId) => {
                justQueued = entryId;
                toast("已保存，正在同步", { kind: "ok" });
                render();
              }),
            ),
          ],
      h("section.card", {}, h("h2", {}, "处理记录"), historyList(hazard.history || hazard.transitions)),
    );
    photoStrip(hazard.media_ids).then((strip) => alive && photos.replaceChildren(strip));
    if (hazard.governance_plan_id) {
      photoStrip([hazard.governance_plan_id], "治理方案").then((strip) => alive && plan.replaceChildren(strip));
    }
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
