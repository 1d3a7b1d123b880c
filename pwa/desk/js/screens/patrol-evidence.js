// 远程核查 on the patrol screen: ask the patrolled enterprise for live photos of a place (or an
// open hazard) within hours, and see the answers: photos, time, distance, flags, late/missing
// marks, with "make it a finding" and "issue an order" in one action.
import { api } from "../api.js";
import { me } from "../session.js";
import { enumBadge, fmtDateTime, h, showProblem, toast } from "../ui.js";
import { imageLoader, thumbnails } from "./enterprise-media.js";

const LAW_65 = { document: "《中华人民共和国安全生产法》", clause: "第六十五条" };
const ROLES = [
  ["safety_officer", "安全管理人员"],
  ["head", "主要负责人"],
  ["inspector", "排查人员"],
  ["rectifier", "整改责任人"],
];
const OPEN_HAZARD_STATES = new Set(["reported", "confirmed", "rectifying", "pending_verification", "awaiting_signoff"]);

function isoInDays(days) {
  return new Date(Date.now() + 8 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);
}

function askForm(patrol, reload) {
  const problem = h("div");
  const target = h("select", { dataset: { testid: "evidence-target" } }, h("option", { value: "", text: "请选择地点或隐患" }));
  api("GET", `/api/v1/enterprises/${patrol.enterprise_id}/places`).then((result) => {
    const places = result.ok ? result.data.items || result.data : [];
    for (const place of places) target.append(h("option", { value: `place:${place.id}`, text: `地点：${place.name}` }));
  });
  api("GET", `/api/v1/hazards?enterprise_id=${patrol.enterprise_id}`).then((result) => {
    const hazards = result.ok ? result.data.items || [] : [];
    for (const hazard of hazards.filter((x) => OPEN_HAZARD_STATES.has(hazardState(x)))) {
      target.append(h("option", { value: `hazard:${hazard.id}`, text: `隐患：${hazard.title}` }));
    }
  });
  const text = h("textarea", { rows: 2, cols: 60, placeholder: "要拍摄展示的内容，如：V-101 阻火器和气体检测仪显示屏", dataset: { testid: "evidence-text" } });
  const items = h("input", { placeholder: "检查项编号（可选，逗号分隔）", size: 30, dataset: { testid: "evidence-items" } });
  const hours = h("input", { type: "number", min: 1, max: 72, value: 2, size: 4, dataset: { testid: "evidence-hours" } });
  const role = h("select", { dataset: { testid: "evidence-role" } }, ROLES.map(([value, label]) => h("option", { value, text: label })));
  const submit = h("button", { type: "submit", text: "发出核查要求", dataset: { testid: "evidence-submit" } });
  const form = h(
    "form",
    { class: "card" },
    h("h3", { text: "发起远程核查" }),
    h("div", { class: "filters" }, target, h("label", {}, "限时（小时）", hours), h("label", {}, "回应人", role)),
    text,
    items,
    submit,
    problem,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const [kind, id] = target.value.split(":");
    const body = {
      enterprise_id: patrol.enterprise_id,
      patrol_id: patrol.id,
      place_id: kind === "place" ? Number(id) : null,
      hazard_id: kind === "hazard" ? id : null,
      text: text.value.trim(),
      item_ids: items.value.split(/[,，\s]+/).filter(Boolean),
      deadline_hours: Number(hours.value),
      answerer_role: role.value,
    };
    const result = await api("POST", "/api/v1/evidence-requests", body);
    if (!result.ok) return showProblem(problem, result.problem);
    toast("已发出远程核查要求");
    reload();
  });
  return form;
}

function hazardState(hazard) {
  return hazard.state && typeof hazard.state === "object" ? hazard.state.code : hazard.state;
}

// The state, marked red when the answer is missing (the state says so) or came late.
function marks(request) {
  if (request.is_missing) return h("span", { class: "badge bad", text: "逾期未回应", dataset: { testid: "evidence-missing" } });
  const state = enumBadge(request.state);
  if (request.is_late) return [state, " ", h("span", { class: "badge bad", text: "逾期回应", dataset: { testid: "evidence-late" } })];
  return state;
}

function answerView(request, images) {
  const answer = request.answer;
  if (!answer) return null;
  const distance = answer.distance_metres == null ? "无定位" : `距地点约 ${Math.round(answer.distance_metres)} 米`;
  return h(
    "div",
    { class: "evidence-answer", dataset: { testid: "evidence-answer" } },
    h("p", {}, `${answer.answered_by?.name || ""} 回应于 ${fmtDateTime(answer.answered_at)}（服务器收到 ${fmtDateTime(answer.received_at)}）· `, h("span", { text: distance, dataset: { testid: "evidence-distance" } })),
    answer.note ? h("p", { text: `说明：${answer.note}` }) : null,
    thumbnails(
      images,
      answer.photos.map((photo) => photo.media_id),
      "evidence-photo",
    ),
    answer.flags.length
      ? h("ul", { class: "flags", dataset: { testid: "evidence-flags" } }, answer.flags.map((f) => h("li", { text: f.message, dataset: { code: f.code } })))
      : h("p", { class: "muted", text: "无异常提示" }),
  );
}

function oneActions(request, patrol, reload) {
  const problem = h("div");
  const done = [];
  if (request.finding_id) done.push(h("span", { class: "muted", text: "已转为巡查发现" }));
  if (request.order_id) done.push(h("span", { class: "muted", text: `已下达指令书 #${request.order_id}` }));
  const state = request.state.code;
  if (state !== "answered" && state !== "expired") return done.length ? h("div", {}, done) : null;
  const deadline = h("input", { type: "date", value: isoInDays(14), dataset: { testid: "evidence-deadline" } });
  const finding = h("button", {
    type: "button",
    text: "转为巡查发现",
    disabled: !patrol || patrol.state.code !== "open" || Boolean(request.finding_id),
    dataset: { testid: "evidence-to-finding" },
    on: {
      click: async () => {
        const body = { id: crypto.randomUUID(), basis: [LAW_65], proposed_level: "general", deadline: deadline.value };
        const result = await api("POST", `/api/v1/evidence-requests/${request.id}/finding`, body);
        if (!result.ok) return showProblem(problem, result.problem);
        toast("已转为巡查发现");
        reload();
      },
    },
  });
  const coOfficer = h("select", { dataset: { testid: "evidence-co-officer" } }, h("option", { value: "", text: "第二名执法人员" }));
  if (patrol) {
    api("GET", `/api/v1/regulators/${patrol.regulator_id}/officers`).then((result) => {
      // 执法人员不得少于两人: a second officer of the bureau with a 执法证号, not the issuer.
      const self = me() || {};
      for (const officer of result.ok ? result.data.items : []) {
        if (officer.enforcement_certificate_no && officer.user_id !== self.id) coOfficer.append(h("option", { value: String(officer.user_id), text: officer.display_name }));
      }
    });
  }
  const order = h("button", {
    type: "button",
    text: "下达整改指令书",
    disabled: Boolean(request.order_id),
    dataset: { testid: "evidence-to-order" },
    on: {
      click: async () => {
        const body = { co_officer_user_id: Number(coOfficer.value), deadline: deadline.value, basis: [LAW_65] };
        const result = await api("POST", `/api/v1/evidence-requests/${request.id}/order`, body);
        if (!result.ok) return showProblem(problem, result.problem);
        toast(`已下达整改指令书 ${result.data.number}`);
        reload();
      },
    },
  });
  return h("div", { class: "filters" }, done, h("label", {}, "整改期限", deadline), finding, coOfficer, order, problem);
}

// The block for one patrol: the list of its requests (newest first) and, while open, the form.
export function evidenceBlock(patrol, reload, { canAsk }) {
  const images = imageLoader();
  const list = h("div", { dataset: { testid: "evidence-requests" } }, h("p", { class: "muted", text: "正在加载…" }));
  api("GET", `/api/v1/evidence-requests?patrol_id=${patrol.id}`).then((result) => {
    if (!result.ok) return showProblem(list, result.problem);
    const items = result.data.items;
    list.replaceChildren(
      ...(items.length
        ? items.map((request) =>
            h(
              "div",
              { class: "card evidence-request", dataset: { evidenceId: String(request.id), testid: "evidence-request" } },
              h(
                "p",
                {},
                marks(request),
                ` ${request.place?.name || request.hazard?.title || ""}：${request.text}`,
                h("span", { class: "muted", text: ` · 期限 ${fmtDateTime(request.due_at)} · 回应人 ${request.answerer_role.label}` }),
              ),
              request.items.length
                ? h("p", { class: "muted", dataset: { testid: "evidence-items-shown" }, text: `检查项：${request.items.map((i) => `${i.text}（${i.id}）`).join("；")}` })
                : null,
              answerView(request, images),
              canAsk ? oneActions(request, patrol, reload) : null,
            ),
          )
        : [h("p", { class: "muted", text: "尚未发起远程核查" })]),
    );
  });
  const open = patrol.state.code === "open";
  const node = h("section", { class: "evidence" }, h("h2", { text: "远程核查" }), list, open && canAsk ? askForm(patrol, reload) : null);
  node.dispose = images.dispose;
  return node;
}
