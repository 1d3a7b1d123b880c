// 事故详情: one incident's timeline (occurrence, quick report, each follow-up with minutes since
// the occurrence), any rise in casualties (补报), its reports and the basis of the time limits.
import { api } from "../api.js";
import { href } from "../routes.js";
import { badge, fill, fmtDateTime, h, showProblem, table } from "../ui.js";
import { hasRole } from "../session.js";
import { analogyForm } from "./campaign-origin.js";

export async function mount(container, { arg }) {
  const box = h("div");
  fill(container, h("div", { class: "screen-head" }, h("h1", { text: "事故详情" }), h("a", { href: href("incidents"), text: "返回列表" })), box);
  const result = await api("GET", `/api/v1/incidents/${encodeURIComponent(arg || "")}`);
  if (!result.ok) return showProblem(box, result.problem);
  const item = result.data;
  fill(
    box,
    h(
      "div",
      { class: "card", dataset: { testid: "incident-summary", late: String(item.is_late), escalated: String(item.is_escalated) } },
      h("h2", { text: item.title }),
      h(
        "p",
        {},
        h("a", { href: href("enterprise", item.enterprise_id), dataset: { testid: "incident-enterprise-link" } }, item.enterprise_name),
        ` · ${item.location} · ${item.category.label}`,
      ),
      h("p", {}, `死亡 ${item.deaths} 人，受伤 ${item.injuries} 人，失踪 ${item.missing} 人（以最新报告为准）`),
      item.is_escalated
        ? h(
            "ul",
            { dataset: { testid: "incident-escalations" } },
            item.escalations.map((e) =>
              h(
                "li",
                {},
                badge("red", `第${e.sequence - 1}次续报伤亡上升`),
                ` ${e.summary}（${fmtDateTime(e.at)}${e.within_supplement_window ? "，事故发生后30日内，应及时补报" : "，已超过30日补报期"}）`,
              ),
            ),
          )
        : null,
      h(
        "p",
        {},
        item.is_late
          ? badge("red", `快报超时：事故发生后 ${item.minutes_to_first_report} 分钟报送，时限 ${item.limit_minutes} 分钟`)
          : badge("green", `按时快报：事故发生后 ${item.minutes_to_first_report} 分钟报送`),
      ),
    ),
    h("h2", { text: "时间线" }),
    h(
      "ol",
      { dataset: { testid: "incident-timeline" } },
      item.timeline.map((e) =>
        h(
          "li",
          { dataset: { event: e.event, escalated: String(e.is_escalated) } },
          `${fmtDateTime(e.at)} ${e.label}${e.event === "occurred" ? "" : `（事故发生后 ${e.minutes} 分钟）`}`,
          e.is_escalated ? [" ", badge("red", "伤亡人数上升")] : null,
        ),
      ),
    ),
    h("h2", { text: "报告内容" }),
    table(
      [
        { key: "kind", label: "类型", render: (row) => (row.kind.code === "quick" ? "快报" : `第${row.sequence - 1}次续报`) },
        { key: "submitted_at", label: "报送时间", render: (row) => fmtDateTime(row.submitted_at) },
        { key: "casualties", label: "伤亡", render: (row) => `死亡 ${row.deaths} / 受伤 ${row.injuries} / 失踪 ${row.missing}` },
        { key: "direct_loss_estimate", label: "直接经济损失（元）", render: (row) => row.direct_loss_estimate ?? "—" },
        { key: "description", label: "经过" },
        { key: "measures", label: "措施" },
        { key: "reported_by", label: "报告人" },
      ],
      item.reports,
      { testid: "incident-reports" },
    ),
    h(
      "p",
      { class: "muted" },
      "依据：",
      item.basis.map((b) => `${b.title}${b.verified ? "" : "（待核实）"}`).join("；"),
    ),
  );
  if (hasRole("regulator_admin")) box.append(analogyForm("incident", item.id));
}
