// 同步记录: every record made on this device with its state — 待同步 / 同步中 / 已同步 (with the
// server's receipt time) / 被拒收 (with the server's reason) — and view, export, retry or discard
// for refused ones.
import * as api from "../api.js";
import * as db from "../db.js";
import * as outbox from "../outbox.js";
import { heads, isBlockedByLogin, syncNow } from "../sync.js";
import { coalesced, confirmDialog, downloadFile, emptyState, formatDateTime, h, screenTitle } from "../ui.js";

const KIND_LABELS = {
  inspection: "检查记录",
  transition: "隐患处理",
  incident: "事故快报",
  incident_report: "事故续报",
  hazard_report: "随手拍",
  permit_measure: "作业票安全措施",
  permit_reading: "作业票气体分析",
};
const ACTION_LABELS = {
  confirm: "确认隐患",
  plan: "制定整改方案",
  submit_plan: "提交治理方案",
  regrade: "重新定级",
  submit_rectification: "提交整改",
  fix_on_spot: "即查即改",
  verify_pass: "验收通过",
  verify_reject: "验收不通过",
  approve_plan: "批准治理方案",
  reject: "驳回",
};

async function exportEntry(entry) {
  const doc = await outbox.exportUnsynced(await db.getMeta("deviceId"), api.currentSession()?.user, [entry.id]);
  const stamp = formatDateTime(new Date()).replace(/[-: ]/g, "");
  downloadFile(`安巡被拒收记录-${stamp}.json`, JSON.stringify(doc));
}

function refusedActions(entry) {
  return h(
    "div.row",
    {},
    h(
      "button.small.secondary",
      {
        type: "button",
        onclick: async () => {
          await outbox.retry(entry.id);
          syncNow({ force: true });
        },
      },
      "重试",
    ),
    h("button.small.secondary", { type: "button", onclick: () => exportEntry(entry) }, "导出"),
    h(
      "button.small.danger",
      {
        type: "button",
        onclick: async () => {
          const yes = await confirmDialog("删除这条记录？", "删除后这条记录和它的照片将无法恢复。建议先导出。", {
            ok: "删除",
            danger: true,
          });
          if (yes) await outbox.discard(entry.id);
        },
      },
      "删除",
    ),
  );
}

// What the regulator will see about this record (the server's plausibility flags).
export function flagList(flags) {
  if (!flags?.length) return "";
  return h(
    "div.flags",
    { role: "note" },
    h("p.small", {}, h("strong", {}, "监管部门将看到以下提示：")),
    h("ul.small", {}, flags.map((f) => h("li", { dataset: { flag: f.code } }, f.message))),
  );
}

function entryCard(entry, highlight, waitingBehind) {
  const label = entry.label || {};
  const state = h(`span.state.${entry.state}`, {}, outbox.STATE_LABELS[entry.state]);
  const detail = [];
  if (entry.state === "synced") {
    detail.push(h("p.small", {}, `服务器已接收：${formatDateTime(entry.receipt?.received_at, { seconds: true })}`));
    if (entry.receipt?.hazards) {
      detail.push(h("a.small.raised-hazards", { href: `#/hazards?inspection=${entry.id}` }, `已生成隐患 ${entry.receipt.hazards} 条，点击查看`));
    }
    if (entry.kind === "hazard_report") detail.push(h("a.small", { href: `#/hazard/${entry.id}` }, "查看该隐患"));
    if (entry.payload?.permit_id) detail.push(h("a.small", { href: `#/permits/${entry.payload.permit_id}` }, "查看该作业票"));
    detail.push(flagList(entry.receipt?.flags));
  } else if (entry.state === "failed") {
    const status = entry.last_status ? `（${entry.last_status}）` : "";
    detail.push(
      h("p.error.small.refusal", { role: "alert" }, `服务器拒收${status}：${entry.last_error || "未说明原因"}`),
      h("p.small.muted", {}, "这条记录不会自动重试，其他记录照常同步。可查看内容、导出保存，或修正问题后重试。"),
      h("details.small", {}, h("summary", {}, "查看提交内容"), h("pre.payload", {}, JSON.stringify(entry.payload, null, 2))),
    );
  } else if (waitingBehind) {
    detail.push(h("p.small.muted", {}, "等待同一隐患或事故的前一条记录同步后再发送。"));
  } else if (entry.last_error) {
    const next = entry.next_attempt_at > Date.now() ? `（将于 ${formatDateTime(entry.next_attempt_at, { seconds: true })} 自动重试）` : "";
    detail.push(h("p.small.muted", {}, `上次未成功：${entry.last_error}${next}`));
  }
  const actions = entry.state === "failed" ? refusedActions(entry) : "";
  const title = entry.kind === "transition" ? `${ACTION_LABELS[entry.payload.action] || entry.payload.action}：${label.title || ""}` : label.title;
  return h(
    `article.card.record${entry.id === highlight ? ".highlight" : ""}`,
    { "data-record-id": entry.id, "data-state": entry.state },
    h("div.task-main", {}, h("strong", {}, title || KIND_LABELS[entry.kind]), state),
    h("p.small.muted", {}, [KIND_LABELS[entry.kind], label.place, label.summary, `保存于 ${formatDateTime(entry.created_at)}`].filter(Boolean).join(" · ")),
    detail,
    actions,
  );
}

export function mount(container, params) {
  const highlight = params.query.get("highlight");
  const list = h("div");
  const summary = h("p", { role: "status" });
  const syncButton = h("button.small", { type: "button", onclick: () => syncNow({ force: true }) }, "立即同步");

  async function render() {
    const queued = await outbox.list();
    const first = new Set(heads(queued).map((e) => e.id));
    const entries = queued.reverse();
    const waiting = entries.filter((e) => e.state === "pending" || e.state === "syncing").length;
    const failed = entries.filter((e) => e.state === "failed").length;
    const refused = failed ? `；${failed} 条被服务器拒收，请查看原因` : "";
    summary.textContent = isBlockedByLogin()
      ? "登录已过期，请重新登录后同步。"
      : waiting
        ? `${waiting} 条待同步${navigator.onLine ? "" : "（当前离线，联网后自动上传）"}${refused}`
        : failed
          ? `${failed} 条被服务器拒收，请查看原因`
          : "全部记录已同步";
    const card = (e) => entryCard(e, highlight, e.state === "pending" && !first.has(e.id));
    list.replaceChildren(...(entries.length ? entries.map(card) : [emptyState("本机还没有检查记录。")]));
  }

  const redraw = coalesced(render);
  window.addEventListener("anxun:outbox", redraw);
  container.replaceChildren(screenTitle("同步记录", syncButton), summary, list);
  redraw();
  return () => window.removeEventListener("anxun:outbox", redraw);
}
