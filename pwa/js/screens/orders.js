// 整改指令书: rectification orders from regulators; the head signs for them (签收), online only.
import * as api from "../api.js";
import { currentEnterprise, navigate, roleCodes } from "../session.js";
import { codeOf as code, emptyState, formatDateTime, h, labelOf as label, loading, problemText, saveFile, screenTitle, toast } from "../ui.js";

export const STATE_LABELS = { issued: "待签收", acknowledged: "已签收", followed_up: "已复查" };
const OFFLINE_TEXT = "签收需要联网：请连接网络后再签收。";

// Pure: unacknowledged orders first, then newest issued first.
export function sortOrders(orders) {
  return [...orders].sort((a, b) => {
    const waitA = code(a.state) === "issued" ? 0 : 1;
    const waitB = code(b.state) === "issued" ? 0 : 1;
    if (waitA !== waitB) return waitA - waitB;
    return String(b.issued_at).localeCompare(String(a.issued_at));
  });
}

function stateBadge(order) {
  const state = code(order.state);
  return h(`span.badge${state === "issued" ? ".warn" : ".ok"}`, { "data-testid": "order-state" }, label(order.state, STATE_LABELS));
}

function orderRow(order) {
  return h(
    "a.task",
    { href: `#/orders/${order.id}`, "data-testid": "order-row", "data-order-id": String(order.id) },
    h("span.task-main", {}, h("strong", {}, order.number), stateBadge(order)),
    h("span.muted", {}, `${order.regulator_name || ""} · 下达 ${formatDateTime(order.issued_at)}`),
    h(`span.due${order.is_overdue ? ".late" : ""}`, {}, `整改期限 ${order.deadline}`),
    order.is_escalated && code(order.state) === "issued" ? h("span.badge.bad", {}, "逾期未签收，已升级督办") : "",
  );
}

async function downloadPdf(order) {
  const result = await api.request(`orders/${order.id}/pdf`, { raw: true });
  if (result.ok) return saveFile(result.data, `${order.number}.pdf`);
  toast(navigator.onLine ? "下载失败，请稍后重试。" : "离线时无法下载指令书 PDF。", { kind: "error" });
}

function listView(container) {
  let alive = true;
  const list = h("div", {}, loading());
  container.append(screenTitle("整改指令书"), list);
  const enterprise = currentEnterprise();
  api.request(`orders?enterprise_id=${enterprise.id}&limit=100`).then((result) => {
    if (!alive) return;
    if (!result.ok) {
      list.replaceChildren(h("p.error", {}, problemText(result)));
      return;
    }
    const orders = sortOrders(result.data.items || []);
    const waiting = orders.filter((o) => code(o.state) === "issued").length;
    list.replaceChildren(
      waiting ? h("p.small", { "data-testid": "orders-waiting" }, `${waiting} 份待签收`) : "",
      ...(orders.length ? orders.map(orderRow) : [emptyState("暂无整改指令书。")]),
    );
  });
  return () => {
    alive = false;
  };
}

function detailView(container, id) {
  let alive = true;
  const body = h("div", {}, loading());
  container.append(screenTitle("整改指令书", h("a.button.secondary", { href: "#/orders" }, "返回")), body);

  function render(order) {
    const isHead = roleCodes().includes("head");
    const waiting = code(order.state) === "issued";
    const note = h("textarea", { rows: 2, placeholder: "签收说明（可选）", "data-testid": "ack-note" });
    const message = h("p.small.muted", { role: "status", "data-testid": "ack-message" });
    const button = h("button", { type: "button", "data-testid": "ack-button" }, "签收");
    const syncOnline = () => {
      button.disabled = !navigator.onLine;
      message.textContent = navigator.onLine ? "" : OFFLINE_TEXT;
    };
    button.addEventListener("click", async () => {
      if (!navigator.onLine) return syncOnline();
      button.disabled = true;
      const result = await api.request(`orders/${order.id}/acknowledgment`, {
        method: "POST",
        json: { expected_state: "issued", note: note.value.trim() },
      });
      if (!alive) return;
      if (result.ok) {
        toast("已签收。");
        render(result.data);
      } else {
        message.textContent = result.status === 0 ? OFFLINE_TEXT : problemText(result);
        button.disabled = false;
      }
    });
    window.addEventListener("online", syncOnline);
    window.addEventListener("offline", syncOnline);
    cleanups.push(() => {
      window.removeEventListener("online", syncOnline);
      window.removeEventListener("offline", syncOnline);
    });
    syncOnline();

    body.replaceChildren(
      h(
        "section.card",
        {},
        h("h2", {}, order.number),
        h(
          "dl.facts",
          {},
          h("dt", {}, "状态"),
          h("dd", {}, stateBadge(order)),
          h("dt", {}, "下达部门"),
          h("dd", {}, order.regulator_name || ""),
          h("dt", {}, "下达时间"),
          h("dd", {}, formatDateTime(order.issued_at)),
          h("dt", {}, "整改期限"),
          h("dd", {}, order.deadline),
          h("dt", {}, "依据"),
          h("dd", {}, (order.basis || []).map((b) => `${b.document}${b.clause || ""}`).join("；")),
          order.acknowledged_at ? h("dt", {}, "签收") : "",
          order.acknowledged_at
            ? h("dd", { "data-testid": "ack-time" }, `${order.acknowledged_by_name || ""} ${formatDateTime(order.acknowledged_at)}`)
            : "",
        ),
        h("h2", {}, "整改事项"),
        h("ol", {}, ...(order.items || []).map((item) => h("li", {}, item.text))),
        order.requirements ? h("p", {}, `具体要求：${order.requirements}`) : "",
        h("button.secondary", { type: "button", onclick: () => downloadPdf(order), "data-testid": "order-pdf" }, "下载指令书 PDF"),
      ),
      waiting && isHead ? h("section.card", {}, h("h2", {}, "签收"), note, button, message) : "",
      waiting && !isHead ? h("p.small.muted", {}, "请企业主要负责人签收该指令书。") : "",
    );
  }

  const cleanups = [];
  api.request(`orders/${encodeURIComponent(id)}`).then((result) => {
    if (!alive) return;
    if (!result.ok) {
      body.replaceChildren(
        h("p.error", {}, problemText(result)),
        h("button.secondary", { type: "button", onclick: () => navigate("#/orders") }, "返回列表"),
      );
      return;
    }
    render(result.data);
  });
  return () => {
    alive = false;
    for (const cleanup of cleanups) cleanup();
  };
}

export function mount(container, params = {}) {
  return params.id ? detailView(container, params.id) : listView(container);
}
