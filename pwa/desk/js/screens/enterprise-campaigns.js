// 专项整治 (enterprise desk): the campaigns asking this enterprise to self-check, with the
// bureau's notice, the stages and the state of its task (done on the phone's task list).
import { api } from "../api.js";
import { fill, fmtDate, h, showProblem } from "../ui.js";

export async function mount(container) {
  const box = h("div", { dataset: { testid: "enterprise-campaigns" } });
  fill(container, h("div", { class: "screen-head" }, h("h1", { text: "专项整治" })), box);
  const result = await api("GET", "/api/v1/campaigns");
  if (!result.ok) return showProblem(box, result.problem);
  if (!result.data.items.length) return fill(box, h("p", { class: "muted", text: "暂无专项整治" }));
  fill(
    box,
    result.data.items.map((c) =>
      h(
        "section",
        { class: "card" },
        h("h2", { text: c.title }),
        h("p", { class: "muted", text: [c.document_no, c.regulator.name, c.legal_basis].filter(Boolean).join("　") }),
        h("p", { text: c.notice_text }),
        h("ul", {}, c.stages.map((s) => h("li", { text: `${s.label}：${fmtDate(s.start)} 至 ${fmtDate(s.end)}` }))),
        h("p", { text: `检查表：${c.checklist.title}（${c.checklist.item_count} 项）` }),
        c.my_tasks.map((t) => h("p", { text: `本企业自查：${t.completion.label}（在手机“任务”中完成）` })),
      ),
    ),
  );
}
