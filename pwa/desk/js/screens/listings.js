// 挂牌督办: major hazards awaiting sign-off (核销 / 退回整改), the listing ledger with delisting, and
// a form to list an open major hazard. The public list is at /public/major-hazards.
import { api } from "../api.js";
import { hasRole } from "../session.js";
import { badge, codeOf, enumBadge, fill, fmtDate, fmtDateTime, h, showProblem, table, toast } from "../ui.js";

const WRITERS = ["regulator_admin", "regulator_inspector"];

function transition(hazard, action, extra = {}) {
  return api("POST", `/api/v1/hazards/${hazard.id}/transitions`, {
    action,
    expected_state: "awaiting_signoff",
    client_id: crypto.randomUUID(),
    ...extra,
  });
}

function signoffActions(hazard, box, reload) {
  if (!hasRole(...WRITERS)) return h("span", { class: "muted", text: "—" });
  const reason = h("textarea", { rows: 2, placeholder: "退回原因（必填）", dataset: { testid: "reject-reason" } });
  const error = h("div");
  const rejectForm = h(
    "form",
    {
      hidden: true,
      dataset: { testid: "reject-form" },
      on: {
        submit: async (event) => {
          event.preventDefault();
          if (!reason.value.trim()) {
            fill(error, h("p", { class: "problem", text: "请填写退回原因。" }));
            return;
          }
          const result = await transition(hazard, "signoff_reject", { reason: reason.value.trim() });
          if (!result.ok) return showProblem(error, result.problem);
          toast("已退回整改。", { kind: "ok" });
          reload();
        },
      },
    },
    reason,
    h("button", { class: "secondary", type: "submit", text: "确认退回", dataset: { testid: "reject-confirm" } }),
    error,
  );
  const signoff = h("button", {
    class: "primary",
    type: "button",
    text: "核销",
    dataset: { testid: "signoff" },
    on: {
      click: async () => {
        if (!window.confirm(`确认核销重大隐患“${hazard.title}”？核销后隐患销号，挂牌督办同时摘牌。`)) return;
        const result = await transition(hazard, "signoff");
        if (!result.ok) return showProblem(box, result.problem);
        toast("已核销，隐患销号。", { kind: "ok" });
        reload();
      },
    },
  });
  const reject = h("button", {
    class: "secondary",
    type: "button",
    text: "退回整改",
    dataset: { testid: "reject" },
    on: { click: () => (rejectForm.hidden = !rejectForm.hidden) },
  });
  return h("div", {}, signoff, " ", reject, rejectForm);
}

function delistButton(listing, box, reload) {
  if (!hasRole(...WRITERS) || listing.state.code !== "listed" || listing.hazard_state.code !== "closed") return "";
  return h("button", {
    class: "secondary",
    type: "button",
    text: "摘牌",
    dataset: { testid: "delist" },
    on: {
      click: async () => {
        const result = await api("POST", `/api/v1/listings/${listing.id}/delisting`);
        if (!result.ok) return showProblem(box, result.problem);
        toast("已摘牌。", { kind: "ok" });
        reload();
      },
    },
  });
}

function listForm(candidates, box, reload) {
  const hazard = h(
    "select",
    { name: "hazard", required: true, dataset: { testid: "listing-hazard" } },
    h("option", { value: "" }, "请选择重大隐患"),
    candidates.map((c) => h("option", { value: c.id }, `${c.enterprise_name}：${c.title}`)),
  );
  const office = h("input", { name: "supervising_office", required: true, maxlength: 120, size: 30, dataset: { testid: "listing-office" } });
  const deadline = h("input", { name: "deadline", type: "date", required: true, dataset: { testid: "listing-deadline" } });
  const summary = h("textarea", { name: "public_summary", rows: 3, cols: 60, maxlength: 300, required: true, dataset: { testid: "listing-summary" } });
  const isPublic = h("input", { name: "is_public", type: "checkbox", checked: true, dataset: { testid: "listing-public" } });
  const error = h("div");
  return h(
    "form",
    {
      class: "card",
      dataset: { testid: "listing-form" },
      on: {
        submit: async (event) => {
          event.preventDefault();
          if (!hazard.value) return fill(error, h("p", { class: "problem", text: "请选择要挂牌督办的重大隐患。" }));
          const result = await api("POST", `/api/v1/hazards/${hazard.value}/listing`, {
            supervising_office: office.value.trim(),
            deadline: deadline.value,
            public_summary: summary.value.trim(),
            is_public: isPublic.checked,
          });
          if (!result.ok) return showProblem(error, result.problem);
          toast(`已挂牌督办：${result.data.listing_no}`, { kind: "ok" });
          reload();
        },
      },
    },
    h("h2", { text: "挂牌督办重大隐患" }),
    h("div", { class: "filters" }, h("label", {}, "重大隐患", hazard), h("label", {}, "督办单位", office), h("label", {}, "督办期限", deadline)),
    h("label", {}, "公示摘要（将向社会公开，不得含人员姓名、电话、身份证号）", h("br"), summary),
    h("label", {}, isPublic, " 向社会公示"),
    h("p", {}, h("button", { class: "primary", type: "submit", text: "挂牌督办", dataset: { testid: "listing-submit" } })),
    error,
  );
}

const LISTING_COLUMNS = (box, reload) => [
  { key: "listing_no", label: "督办编号" },
  { key: "enterprise_name", label: "企业" },
  { key: "hazard_title", label: "隐患" },
  { key: "hazard_state", label: "隐患状态", render: (row) => enumBadge(row.hazard_state) },
  { key: "supervising_office", label: "督办单位" },
  {
    key: "deadline",
    label: "督办期限",
    render: (row) => (row.is_overdue ? badge("alert", `${fmtDate(row.deadline)} 已逾期`) : fmtDate(row.deadline)),
  },
  { key: "is_public", label: "公示", render: (row) => (row.is_public ? "是" : "否") },
  { key: "state", label: "状态", render: (row) => enumBadge(row.state) },
  { key: "listed_at", label: "挂牌时间", render: (row) => fmtDateTime(row.listed_at) },
  { key: "actions", label: "操作", render: (row) => delistButton(row, box, reload) },
];

export async function mount(container, { query }) {
  const problemBox = h("div");
  const signoffBox = h("div", { dataset: { testid: "signoff-box" } });
  const ledgerBox = h("div", { dataset: { testid: "listings-box" } });
  const formBox = h("div");
  const stateFilter = h(
    "select",
    { name: "state", dataset: { testid: "filter-state" } },
    [["", "全部"], ["listed", "督办中"], ["delisted", "已销号"]].map(([v, t]) => h("option", { value: v, selected: v === (query.state || "") }, t)),
  );
  const overdueFilter = h("input", { type: "checkbox", name: "overdue", checked: query.overdue === "true", dataset: { testid: "filter-overdue" } });

  async function reload() {
    fill(problemBox);
    const params = new URLSearchParams();
    if (stateFilter.value) params.set("state", stateFilter.value);
    if (overdueFilter.checked) params.set("overdue", "true");
    const [awaiting, listings, majors] = await Promise.all([
      api("GET", "/api/v1/hazards?state=awaiting_signoff&level=major&limit=200"),
      api("GET", `/api/v1/listings?${params}`),
      api("GET", "/api/v1/hazards?level=major&limit=200"),
    ]);
    for (const result of [awaiting, listings, majors]) if (!result.ok) return showProblem(problemBox, result.problem);
    const all = await api("GET", "/api/v1/listings");
    const listedByHazard = new Map((all.ok ? all.data.items : []).map((l) => [String(l.hazard_id), l]));
    fill(
      signoffBox,
      table(
        [
          { key: "enterprise_name", label: "企业" },
          { key: "title", label: "重大隐患" },
          { key: "deadline", label: "整改期限", render: (row) => fmtDate(row.deadline) },
          { key: "listing", label: "挂牌督办", render: (row) => listedByHazard.get(String(row.id))?.listing_no || "未挂牌" },
          { key: "actions", label: "操作", render: (row) => signoffActions(row, problemBox, reload) },
        ],
        awaiting.data.items,
        { testid: "signoff-table", rowAttrs: (row) => ({ dataset: { hazardId: String(row.id), testid: "signoff-row" } }), empty: "暂无待核销的重大隐患" },
      ),
    );
    fill(
      ledgerBox,
      table(LISTING_COLUMNS(problemBox, reload), listings.data.items, {
        testid: "listings-table",
        rowAttrs: (row) => ({ dataset: { listingId: String(row.id), testid: "listing-row" } }),
        empty: "暂无挂牌督办记录",
      }),
    );
    const candidates = majors.data.items.filter((m) => !["closed", "rejected"].includes(codeOf(m.state)) && !listedByHazard.has(String(m.id)));
    fill(formBox, hasRole(...WRITERS) ? listForm(candidates, problemBox, reload) : "");
  }

  fill(
    container,
    h(
      "div",
      { class: "screen-head" },
      h("h1", { text: "挂牌督办" }),
      h("a", { href: "/public/major-hazards", target: "_blank", rel: "noopener", text: "查看社会公示页面", dataset: { testid: "public-link" } }),
    ),
    problemBox,
    h("h2", { text: "待核销的重大隐患" }),
    signoffBox,
    h("h2", { text: "挂牌督办台账" }),
    h("form", { class: "filters", on: { change: reload, submit: (e) => (e.preventDefault(), reload()) } }, h("label", {}, "状态", stateFilter), h("label", {}, h("span", { text: "仅看逾期" }), overdueFilter)),
    ledgerBox,
    formBox,
  );
  await reload();
}
