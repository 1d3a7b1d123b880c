// 同步记录: every record made on this device with its state — 待同步 / 同步中 / 已同步 (with the
// server's receipt time) / 失败 (with the reason) — and retry or discard for failed ones.
import * as outbox from "../outbox.js";
import { isBlockedByLogin, syncNow } from "../sync.js";
import { confirmDialog, emptyState, formatDateTime, h, screenTitle } from "../ui.js";

const KIND_LABELS = { inspection: "检查记录", transition: "隐患处理" };
const ACTION_LABELS = {
  submit_rectification: "提交整改",
  fix_on_spot: "即查即改",
  verify_pass: "验收通过",
  verify_reject: "验收不通过",
  approve_plan: "批准治理方案",
  reject: "驳回",
};

function entryCard(entry, highlight) {
  const label = entry.label || {};
  const state = h(`span.state.${entry.state}`, {}, outbox.STATE_LABELS[entry.state]);
  const detail = [];
  if (entry.state === "synced") {
    detail.push(h("p.small", {}, `服务器已接收：${formatDateTime(entry.receipt?.received_at, { seconds: true })}`));
    if (entry.receipt?.hazards) detail.push(h("p.small", {}, `已生成隐患 ${entry.receipt.hazards} 条`));
  } else if (entry.state === "failed") {
    detail.push(h("p.error.small", { role: "alert" }, `失败原因：${entry.last_error || "未知"}`));
  } else if (entry.last_error) {
    const next = entry.next_attempt_at > Date.now() ? `，将于 ${formatDateTime(entry.next_attempt_at, { seconds: true })} 重试` : "";
    detail.push(h("p.small.muted", {}, `上次未成功：${entry.last_error}${next}`));
  }
  const actions =
    entry.state === "failed"
      ? h(
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
          h(
            "button.small.danger",
            {
              type: "button",
              onclick: async () => {
                const yes = await confirmDialog("删除这条记录？", "删除后这条记录和它的照片将无法恢复。建议先在“设置”中导出。", {
                  ok: "删除",
                  danger: true,
                });
                if (yes) await outbox.discard(entry.id);
              },
            },
            "删除",
          ),
        )
      : "";
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
    const entries = (await outbox.list()).reverse();
    const waiting = entries.filter((e) => e.state === "pending" || e.state === "syncing").length;
    const failed = entries.filter((e) => e.state === "failed").length;
    summary.textContent = isBlockedByLogin()
      ? "登录已过期，请重新登录后同步。"
      : waiting
        ? `${waiting} 条待同步${navigator.onLine ? "" : "（当前离线，联网后自动上传）"}`
        : failed
          ? `${failed} 条同步失败，请查看原因`
          : "全部记录已同步";
    list.replaceChildren(...(entries.length ? entries.map((e) => entryCard(e, highlight)) : [emptyState("本机还没有检查记录。")]));
  }

  window.addEventListener("anxun:outbox", render);
  container.replaceChildren(screenTitle("同步记录", syncButton), summary, list);
  render();
  return () => window.removeEventListener("anxun:outbox", render);
}
