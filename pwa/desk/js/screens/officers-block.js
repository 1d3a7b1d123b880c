// 执法人员与执法证号: a bureau admin registers each officer's certificate number, which a
// 责令限期整改指令书 needs for both of its officers (orders keep their own copy once issued).
import { api } from "../api.js";
import { hasRole, regulatorIds } from "../session.js";
import { fill, h, showProblem, toast } from "../ui.js";

function officerRow(regulatorId, officer) {
  const input = h("input", {
    value: officer.enforcement_certificate_no || "",
    maxLength: 32,
    size: 18,
    placeholder: "未登记",
    "aria-label": `${officer.display_name}的执法证号`,
    dataset: { testid: `officer-certificate-${officer.user_id}` },
  });
  const problem = h("span");
  const save = h("button", {
    type: "button",
    class: "secondary",
    text: "保存",
    dataset: { testid: `officer-save-${officer.user_id}` },
    on: {
      click: async () => {
        save.disabled = true;
        const value = input.value.trim();
        const result = await api("PATCH", `/api/v1/regulators/${regulatorId}/officers/${officer.user_id}`, {
          enforcement_certificate_no: value || null,
        });
        save.disabled = false;
        if (!result.ok) return showProblem(problem, result.problem);
        fill(problem);
        input.value = result.data.enforcement_certificate_no || "";
        toast(value ? `已登记${officer.display_name}的执法证号。` : `已注销${officer.display_name}的执法证号登记。`);
      },
    },
  });
  return h("tr", { dataset: { officerId: String(officer.user_id) } }, h("td", { text: officer.display_name }), h("td", {}, input), h("td", {}, save, problem));
}

// Only a bureau admin sees the block; inspectors see their own number on the order form.
export async function officersBlock() {
  const [regulatorId] = regulatorIds();
  if (!regulatorId || !hasRole("regulator_admin")) return null;
  const body = h("tbody");
  const section = h(
    "section",
    { class: "card", dataset: { testid: "officers" } },
    h("h2", { text: "执法人员与执法证号" }),
    h("p", { class: "muted", text: "下达指令书须由两名持有执法证的执法人员署名；已下达的指令书保留下达时的证号。" }),
    h("table", {}, h("thead", {}, h("tr", {}, h("th", { text: "姓名" }), h("th", { text: "执法证号" }), h("th", { text: "操作" }))), body),
  );
  const result = await api("GET", `/api/v1/regulators/${regulatorId}/officers`);
  if (!result.ok) {
    showProblem(section, result.problem);
    return section;
  }
  fill(body, result.data.items.map((officer) => officerRow(regulatorId, officer)));
  return section;
}
