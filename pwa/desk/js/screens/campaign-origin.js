// 举一反三: a small form under an incident (or hazard) that starts a draft campaign in one action:
// cause items (one per line) become its checklist, targets default to the same industry in the
// jurisdiction, the notice quotes the case in neutral words. Shown to regulator admins only.
import { api } from "../api.js";
import { navigate } from "../routes.js";
import { h, showProblem } from "../ui.js";

function isoDay(offset) {
  return new Date(Date.now() + offset * 86400000 + 8 * 3600000).toISOString().slice(0, 10);
}

// causes: the first cause item to offer (a hazard's title), editable.
export function analogyForm(originKind, originId, causes = "") {
  const placeholder = originKind === "incident" ? "事故原因对应的检查内容，每行一条" : "隐患原因对应的检查内容，每行一条";
  const causeBox = h("textarea", { rows: 3, placeholder, value: causes, dataset: { testid: "analogy-causes" } });
  const include = h("input", { type: "checkbox" });
  const errors = h("div");
  const start = async () => {
    const body = {
      origin_kind: originKind,
      origin_id: originId,
      cause_texts: causeBox.value.split("\n").map((line) => line.trim()).filter(Boolean),
      include_origin_enterprise: include.checked,
      self_check_start: isoDay(0),
      self_check_end: isoDay(14),
      supervision_start: isoDay(15),
      supervision_end: isoDay(30),
      follow_up_start: isoDay(45),
      follow_up_end: isoDay(60),
    };
    const result = await api("POST", "/api/v1/campaigns/from-origin", body);
    if (!result.ok) return showProblem(errors, result.problem);
    navigate("campaign", result.data.id);
  };
  return h(
    "div",
    { class: "card", dataset: { testid: "analogy-form" } },
    h("h2", { text: "举一反三" }),
    causeBox,
    h("label", { style: { flexDirection: "row", alignItems: "center" } }, include, " 包括事发企业"),
    errors,
    h("button", { type: "button", text: "发起举一反三专项整治（草稿）", on: { click: start }, dataset: { testid: "analogy-start" } }),
  );
}
