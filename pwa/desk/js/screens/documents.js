// 文件资料 (enterprise desk): every document of the enterprise in one place, each a download from
// an endpoint the API already renders — ledger, statistics, risk register and cards, site maps,
// QR labels, inspection records, rectification notices, regulators' orders (with 签收; the head
// signs here) and signed audit reports. Every list loads and fails on its own.
import { api, download } from "../api.js";
import { href } from "../routes.js";
import * as session from "../session.js";
import { fill, fmtDate, fmtDateTime, h, labelOf, showProblem, table, toast } from "../ui.js";

const LIMIT = 20;

function button(label, path, filename, testid) {
  return h("button", {
    type: "button",
    class: "secondary",
    text: label,
    dataset: { testid, path },
    on: {
      click: async () => {
        const result = await download(path, filename);
        if (!result.ok) toast(result.problem?.detail || result.problem?.title || "下载失败", { kind: "error" });
      },
    },
  });
}

function section(title, testid) {
  const body = h("div", { dataset: { testid } }, h("p", { class: "muted", text: "正在加载…" }));
  return { node: h("section", { class: "doc-section" }, h("h2", { text: title }), body), body };
}

function periods(today) {
  const year = today.getFullYear();
  const quarter = Math.floor(today.getMonth() / 3) + 1;
  const list = [];
  for (let y = year, q = quarter; list.length < 4; q -= 1) {
    if (q === 0) {
      y -= 1;
      q = 4;
    }
    list.push([`${y}Q${q}`, `${y} 年第 ${q} 季度`]);
  }
  list.push([String(year), `${year} 年度`], [String(year - 1), `${year - 1} 年度`]);
  return list;
}

export async function mount(container) {
  const id = session.enterpriseId();
  const isHead = session.hasRole("head");
  let alive = true;
  const fixed = section("台账与统计", "docs-fixed");
  const risk = section("风险分级管控", "docs-risk");
  const orders = section("监管整改指令", "docs-orders");
  const inspections = section("排查记录", "docs-inspections");
  const notices = section("隐患整改通知单", "docs-notices");
  const audits = section("第三方审核报告", "docs-audits");
  fill(container, h("h1", { text: "文件资料" }), fixed.node, risk.node, orders.node, inspections.node, notices.node, audits.node);

  const period = h("select", { dataset: { testid: "docs-period" } }, periods(new Date()).map(([code, label]) => h("option", { value: code, text: label })));
  const stats = h("span", { class: "actions" });
  const renderStats = () =>
    fill(stats, button("统计表 PDF", `/api/v1/enterprises/${id}/hazard-statistics.pdf?period=${period.value}`, `隐患排查治理情况统计表-${period.value}.pdf`, "docs-statistics-pdf"));
  period.addEventListener("change", renderStats);
  renderStats();
  fill(
    fixed.body,
    h(
      "div",
      { class: "card" },
      h(
        "p",
        { class: "actions" },
        "隐患台账（本月）：",
        button("PDF", `/api/v1/enterprises/${id}/hazard-ledger.pdf`, "隐患台账.pdf", "docs-ledger-pdf"),
        button("Excel", `/api/v1/enterprises/${id}/hazard-ledger.xlsx`, "隐患台账.xlsx", "docs-ledger-xlsx"),
        h("a", { href: href("ledger"), text: "按时段导出请到隐患台账" }),
      ),
      h("p", { class: "actions" }, "隐患排查治理情况统计（16号令）：", period, stats),
    ),
  );

  async function loadRisk() {
    const [places, plans] = await Promise.all([api("GET", `/api/v1/enterprises/${id}/places?limit=200`), api("GET", `/api/v1/enterprises/${id}/site-plans?limit=50`)]);
    if (!alive) return;
    const placeItems = places.ok ? places.data.items || places.data : [];
    const planItems = plans.ok ? plans.data.items : [];
    fill(
      risk.body,
      h(
        "div",
        { class: "card" },
        h(
          "p",
          { class: "actions" },
          "风险分级管控清单：",
          button("PDF", `/api/v1/enterprises/${id}/risk-register.pdf`, "风险分级管控清单.pdf", "docs-register-pdf"),
          button("Excel", `/api/v1/enterprises/${id}/risk-register.xlsx`, "风险分级管控清单.xlsx", "docs-register-xlsx"),
          "地点二维码标签：",
          button("PDF", `/api/v1/enterprises/${id}/places/labels.pdf`, "地点二维码标签.pdf", "docs-labels-pdf"),
        ),
        planItems.length
          ? h("p", { class: "actions" }, "四色风险分布图：", planItems.map((p) => button(p.title, `/api/v1/site-plans/${p.id}/map.pdf`, `四色图-${p.title}.pdf`, "docs-map-pdf")))
          : null,
        placeItems.length
          ? h("p", { class: "actions" }, "岗位风险告知卡：", placeItems.map((p) => button(p.name, `/api/v1/places/${p.id}/risk-card.pdf`, `风险告知卡-${p.name}.pdf`, "docs-card-pdf")))
          : h("p", { class: "muted", text: "尚未登记地点，暂无风险告知卡。" }),
      ),
    );
  }

  async function acknowledge(order) {
    const note = window.prompt(`签收整改指令书 ${order.number}。签收说明（可选）：`, "已收到");
    if (note === null) return;
    const result = await api("POST", `/api/v1/orders/${order.id}/acknowledgment`, { expected_state: order.state.code, note });
    if (!alive) return;
    if (!result.ok) return toast(result.problem?.detail || result.problem?.title || "签收失败", { kind: "error" });
    toast("已签收");
    loadOrders();
  }

  async function loadOrders() {
    const result = await api("GET", `/api/v1/orders?enterprise_id=${id}&limit=50`);
    if (!alive) return;
    if (!result.ok) return showProblem(orders.body, result.problem);
    fill(
      orders.body,
      table(
        [
          { key: "number", label: "文号" },
          { key: "regulator_name", label: "下达部门" },
          { key: "issued_at", label: "下达时间", render: (o) => fmtDateTime(o.issued_at) },
          { key: "deadline", label: "整改期限", render: (o) => fmtDate(o.deadline) },
          {
            key: "ack",
            label: "签收",
            render: (o) =>
              o.acknowledged_at
                ? `已签收（${o.acknowledged_by_name || ""} ${fmtDateTime(o.acknowledged_at)}）`
                : isHead && o.state?.code === "issued"
                  ? h("button", { type: "button", class: "primary", text: "签收", dataset: { testid: "docs-order-ack" }, on: { click: () => acknowledge(o) } })
                  : h("span", { class: "overdue", text: "未签收" }),
          },
          { key: "pdf", label: "文件", render: (o) => button("指令书 PDF", `/api/v1/orders/${o.id}/pdf`, `整改指令书-${o.number}.pdf`, "docs-order-pdf") },
        ],
        result.data.items,
        { testid: "docs-orders-table", empty: "暂无监管整改指令。" },
      ),
    );
  }

  async function loadInspections() {
    const result = await api("GET", `/api/v1/inspections?enterprise_id=${id}&limit=${LIMIT}`);
    if (!alive) return;
    if (!result.ok) return showProblem(inspections.body, result.problem);
    fill(
      inspections.body,
      table(
        [
          { key: "finished_at", label: "完成时间", render: (i) => fmtDateTime(i.finished_at) },
          { key: "checklist_title", label: "检查表" },
          { key: "inspector_name", label: "检查人" },
          { key: "pdf", label: "文件", render: (i) => button("排查记录 PDF", `/api/v1/inspections/${i.id}/record.pdf`, `排查记录-${i.id.slice(0, 8)}.pdf`, "docs-record-pdf") },
        ],
        result.data.items,
        { testid: "docs-inspections-table", empty: "暂无排查记录。" },
      ),
      h("p", { class: "muted", text: `显示最近 ${LIMIT} 条。` }),
    );
  }

  async function loadNotices() {
    const result = await api("GET", `/api/v1/hazards?enterprise_id=${id}&limit=${LIMIT}`);
    if (!alive) return;
    if (!result.ok) return showProblem(notices.body, result.problem);
    fill(
      notices.body,
      table(
        [
          { key: "title", label: "隐患", render: (r) => h("a", { href: href("hazard", r.id), text: r.title }) },
          { key: "state", label: "状态", render: (r) => labelOf(r.state) },
          { key: "reported_at", label: "发现时间", render: (r) => fmtDateTime(r.reported_at) },
          { key: "pdf", label: "文件", render: (r) => button("整改通知单 PDF", `/api/v1/hazards/${r.id}/notice.pdf`, `隐患整改通知单-${r.id.slice(0, 8)}.pdf`, "docs-notice-pdf") },
        ],
        result.data.items,
        { testid: "docs-notices-table", empty: "暂无隐患。" },
      ),
      h("p", { class: "muted" }, `显示最近 ${LIMIT} 条；全部隐患见`, h("a", { href: href("ledger"), text: "隐患台账" }), "。"),
    );
  }

  async function loadAudits() {
    const result = await api("GET", `/api/v1/audit-runs?enterprise_id=${id}&limit=50`);
    if (!alive) return;
    if (!result.ok) return showProblem(audits.body, result.problem);
    const signed = result.data.items.filter((r) => r.signed_at);
    fill(
      audits.body,
      table(
        [
          { key: "title", label: "审核" },
          { key: "agency_name", label: "机构" },
          { key: "signed_at", label: "签署时间", render: (r) => fmtDateTime(r.signed_at) },
          { key: "pdf", label: "文件", render: (r) => button("审核报告 PDF", `/api/v1/audit-runs/${r.id}/report.pdf`, `审核报告-${r.id}.pdf`, "docs-audit-pdf") },
        ],
        signed,
        { testid: "docs-audits-table", empty: "暂无已签署的审核报告。" },
      ),
    );
  }

  await Promise.all([loadRisk(), loadOrders(), loadInspections(), loadNotices(), loadAudits()]);
  return () => {
    alive = false;
  };
}
