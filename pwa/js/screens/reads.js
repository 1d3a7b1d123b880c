// 查阅记录: which third-party auditor read this enterprise's data, when and what (online only; the
// head and the safety officer see it, others get the server's refusal).
import * as api from "../api.js";
import { currentEnterprise } from "../session.js";
import { emptyState, formatDateTime, h, loading, problemText, screenTitle } from "../ui.js";

function readRow(read) {
  return h(
    "div.task",
    { "data-testid": "read-row" },
    h("span.task-main", {}, h("strong", {}, read.user_name), h("span.muted", {}, read.agency_name)),
    h("span.muted", {}, `${formatDateTime(read.created_at)} · ${read.method} ${read.path}`),
  );
}

export function mount(container) {
  let alive = true;
  const list = h("div", {}, loading());
  container.append(screenTitle("第三方查阅记录"), list);
  const enterprise = currentEnterprise();
  api.request(`auditor-reads?enterprise_id=${enterprise.id}&limit=100`).then((result) => {
    if (!alive) return;
    if (!result.ok) {
      list.replaceChildren(h("p.error", { "data-testid": "reads-error" }, problemText(result)));
      return;
    }
    const rows = result.data.items || [];
    list.replaceChildren(
      h("p.small.muted", {}, "第三方机构审核员每次查阅本企业数据都会留下记录。"),
      ...(rows.length ? rows.map(readRow) : [emptyState("暂无第三方查阅记录。")]),
    );
  });
  return () => {
    alive = false;
  };
}
