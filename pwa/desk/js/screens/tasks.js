// 排查任务日历 (enterprise desk): a month of task occurrences, missed ones marked, and the
// enterprise's 在线运行率 over a chosen period with what lowered it (the same computation the
// grade and the regulator use: GET /enterprises/<id>/operation-rate).
import { api } from "../api.js";
import { replaceQuery } from "../routes.js";
import { enterpriseId } from "../session.js";
import { badge, fill, h, showProblem, table } from "../ui.js";
import { percent } from "../labels.js";

const CHINA = "Asia/Shanghai";
const DAY = new Intl.DateTimeFormat("en-CA", { timeZone: CHINA, year: "numeric", month: "2-digit", day: "2-digit" });
const TIME = new Intl.DateTimeFormat("zh-CN", { timeZone: CHINA, hour: "2-digit", minute: "2-digit", hour12: false });
const STATE_CLASS = { missed: "red", late: "orange", done: "blue", open: "yellow", upcoming: "none", suspended: "none" };

const localDay = (iso) => DAY.format(new Date(iso));
const today = () => DAY.format(new Date());

function iso(year, month, day) {
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

function monthDays(year, month) {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export async function mount(container, { query = {} } = {}) {
  const enterprise = enterpriseId();
  let alive = true;
  const now = today();
  let [year, month] = (query.month || now.slice(0, 7)).split("-").map(Number);
  if (!year || !month || month > 12) [year, month] = now.slice(0, 7).split("-").map(Number);
  const calendar = h("div", { dataset: { testid: "task-calendar" } });
  const rateBox = h("div", { dataset: { testid: "operation-rate" } });
  const title = h("h2");

  async function loadCalendar() {
    const first = iso(year, month, 1);
    const last = iso(year, month, monthDays(year, month));
    fill(title, `${year} 年 ${month} 月`);
    replaceQuery({ screen: "tasks", arg: null }, { month: `${year}-${String(month).padStart(2, "0")}` });
    const result = await api("GET", `/api/v1/enterprises/${enterprise}/task-calendar?from=${first}&to=${last}`);
    if (!alive) return;
    if (!result.ok) return showProblem(calendar, result.problem);
    const byDay = {};
    for (const item of result.data.items) (byDay[localDay(item.due_start)] ||= []).push(item);
    const lead = (new Date(Date.UTC(year, month - 1, 1)).getUTCDay() + 6) % 7; // Monday first
    const cells = [];
    for (let i = 0; i < lead; i += 1) cells.push(h("div", { class: "cal-cell empty" }));
    for (let d = 1; d <= monthDays(year, month); d += 1) {
      const day = iso(year, month, d);
      const items = byDay[day] || [];
      const missed = items.filter((i) => i.state.code === "missed").length;
      cells.push(
        h(
          "div",
          { class: ["cal-cell", day === now && "today", missed && "has-missed"], dataset: { testid: "cal-day", day, missed } },
          h("div", { class: "cal-date", text: String(d) }),
          items.map((i) =>
            h(
              "div",
              { class: `cal-item state-${i.state.code}`, dataset: { testid: "cal-item", state: i.state.code }, title: `${i.plan_title}${i.place ? ` · ${i.place.name}` : ""}` },
              badge(STATE_CLASS[i.state.code] || "none", i.state.label),
              ` ${TIME.format(new Date(i.due_start))} ${i.plan_title}${i.place ? ` · ${i.place.name}` : ""}`,
            ),
          ),
        ),
      );
    }
    fill(
      calendar,
      h("div", { class: "cal-grid", style: { display: "grid", gridTemplateColumns: "repeat(7, minmax(0, 1fr))", gap: "2px" } }, ["一", "二", "三", "四", "五", "六", "日"].map((w) => h("div", { class: "cal-head", text: `周${w}` })), cells),
    );
  }

  function shift(delta) {
    month += delta;
    if (month < 1) [year, month] = [year - 1, 12];
    if (month > 12) [year, month] = [year + 1, 1];
    loadCalendar();
  }

  const from = h("input", { type: "date", "aria-label": "开始日期", value: DAY.format(new Date(Date.now() - 29 * 864e5)) });
  const to = h("input", { type: "date", "aria-label": "结束日期", value: now });
  const rateResult = h("div");

  async function loadRate(event) {
    event?.preventDefault();
    const result = await api("GET", `/api/v1/enterprises/${enterprise}/operation-rate?from=${from.value}&to=${to.value}`);
    if (!alive) return;
    if (!result.ok) return showProblem(rateResult, result.problem);
    const r = result.data;
    fill(
      rateResult,
      h("p", {}, h("strong", { class: "big", text: percent(r.rate), dataset: { testid: "rate-value" } }), `　应排查 ${r.counted} 次：按时完成 ${r.done}，逾期完成 ${r.late}，未完成 ${r.missed}。`),
      r.lowered_by?.length
        ? table(
            [
              { key: "plan_title", label: "拉低运行率的排查计划" },
              { key: "place", label: "地点", render: (e) => e.place?.name || "全企业" },
              { key: "missed", label: "未完成" },
              { key: "late", label: "逾期完成" },
            ],
            r.lowered_by,
            { testid: "rate-losses" },
          )
        : h("p", { class: "muted", text: r.counted ? "本期所有到期任务均按时完成。" : "本期没有到期的排查任务。" }),
    );
  }
  const rateForm = h("form", { class: "inline-form" }, from, " 至 ", to, h("button", { type: "submit", text: "计算" }));
  rateForm.addEventListener("submit", loadRate);
  fill(rateBox, h("h2", { text: "在线运行率" }), rateForm, rateResult);

  fill(
    container,
    h("h1", { text: "排查任务日历" }),
    h(
      "div",
      { class: "toolbar" },
      h("button", { type: "button", class: "secondary", text: "‹ 上月", on: { click: () => shift(-1) } }),
      title,
      h("button", { type: "button", class: "secondary", text: "下月 ›", on: { click: () => shift(1) } }),
    ),
    h("p", { class: "muted" }, badge("red", "未完成"), " 为错过的排查任务；", badge("orange", "逾期完成"), " 为窗口结束后才完成。"),
    calendar,
    rateBox,
  );
  await Promise.all([loadCalendar(), loadRate()]);
  return () => {
    alive = false;
  };
}
