// Filling in a checklist: large 合格/不合格/不适用 targets, readings with unit and limits, notes,
// basis on demand, photos, progress; every answer is saved to the draft at once.
import * as api from "../api.js";
import * as db from "../db.js";
import { describe, locate } from "../geo.js";
import {
  buildPayload,
  discardDraft,
  draftProblems,
  effectiveResult,
  expectedItems,
  isOutOfRange,
  limitText,
  plausibilityWarnings,
  progress,
} from "../inspection.js";
import * as outbox from "../outbox.js";
import { photoField } from "../photo.js";
import { navigate } from "../session.js";
import { syncNow } from "../sync.js";
import { confirmDialog, formatDateTime, h, hideToast, loading, screenTitle, toast } from "../ui.js";

const METHOD_LABELS = { look: "现场查看", ask: "询问", measure: "测量", records: "查阅记录" };
const RESULT_BUTTONS = [
  ["pass", "合格"],
  ["fail", "不合格"],
  ["na", "不适用"],
];

export function parseReading(text) {
  const cleaned = String(text).trim().replace(/[。．，]/g, ".").replace(/[^\d.eE+-]/g, "");
  if (!cleaned) return null;
  const value = Number(cleaned);
  return Number.isFinite(value) ? value : null;
}

// The basis as the server words it for field users (checklists/verification.py): the document's
// full name and number, the article only where verified, a 待核实 badge where one was held back.
// A draft kept from before `citations` existed shows the documents alone.
function basisLines(checklist, item) {
  const given = checklist.citations?.[item.id];
  if (given) return given;
  const docs = new Map((checklist.document.basis || []).map((b) => [b.code, b]));
  const names = (item.basis || []).map((ref) => {
    const source = docs.get(ref.doc);
    if (!source) return ref.doc;
    return `《${source.title}》${source.number ? `（${source.number}）` : ""}`;
  });
  return [...new Set(names)].map((text) => ({ text, is_clause_pending: false }));
}

function basisList(checklist, item) {
  const lines = basisLines(checklist, item);
  return h(
    "ul.basis",
    {},
    lines.map((line) =>
      h(
        "li",
        {},
        line.text,
        line.is_clause_pending ? h("span.badge.warn", { title: "条款待核实，以文件原文为准" }, "待核实") : "",
      ),
    ),
    lines.length ? "" : h("li", {}, "本项未列依据"),
  );
}

export function mount(container, params) {
  let draft = null;
  let items = [];
  let alive = true;
  let saving = Promise.resolve();
  let showProblems = false;
  const cards = new Map();
  const progressText = h("span");
  const progressBar = h("progress", { max: 1, value: 0, "aria-label": "作答进度" });
  const gpsLine = h("p.small.muted", { role: "status" });
  const warnings = h("div.flags.plausibility", { role: "note", hidden: true });

  const save = () => {
    draft.updated_at = new Date().toISOString();
    const snapshot = structuredClone(draft);
    saving = saving.then(() => db.putDraft(snapshot)).catch((e) => toast(`草稿保存失败：${e.message}`, { kind: "error" }));
    return saving;
  };

  function updateProgress() {
    const p = progress(items, draft.answers);
    progressBar.max = p.total;
    progressBar.value = p.done;
    progressText.textContent = `已答 ${p.done} / ${p.total}${p.failed ? ` · 不合格 ${p.failed}` : ""}`;
    updateWarnings();
  }

  const placeCoordinates = () =>
    draft.place?.latitude != null && draft.place?.longitude != null ? [draft.place.latitude, draft.place.longitude] : null;

  // Once every item is answered: what the regulator would be shown if submitted now.
  function updateWarnings() {
    const p = progress(items, draft.answers);
    const found =
      p.total && p.done === p.total
        ? plausibilityWarnings({
            startedAt: draft.started_at,
            finishedAt: new Date().toISOString(),
            answered: p.done,
            gps: draft.gps,
            placeCoordinates: placeCoordinates(),
          })
        : [];
    warnings.replaceChildren(
      ...(found.length
        ? [
            h("p.small", {}, h("strong", {}, "现在提交，监管部门将看到以下提示：")),
            h("ul.small", {}, found.map((f) => h("li", { dataset: { flag: f.code } }, f.message))),
            h("p.small.muted", {}, "如属实可照常提交；请确认已在现场逐项检查。"),
          ]
        : []),
    );
    warnings.hidden = !found.length;
  }

  // A task names its place without coordinates: the place's own record has them.
  async function learnPlaceCoordinates() {
    if (!draft.place?.qr_token || placeCoordinates()) return;
    const result = await api.request(`places/by-token/${encodeURIComponent(draft.place.qr_token)}`);
    const place = result.ok ? result.data.place || result.data : null;
    if (!alive || place?.latitude == null) return;
    draft.place = { ...draft.place, latitude: place.latitude, longitude: place.longitude };
    await save();
    updateWarnings();
  }

  function answerOf(item) {
    draft.answers[item.id] ||= { result: null, value: null, note: "", media: [] };
    return draft.answers[item.id];
  }

  function itemCard(item, index) {
    const answer = answerOf(item);
    const spec = item.answer;
    const card = h("article.item", { id: `item-${item.id}`, "data-item-id": item.id });
    const verdict = h("p.verdict", { "aria-live": "polite" });
    const problem = h("p.error.small");
    const buttons = new Map();

    const photos = photoField({
      ids: answer.media,
      owner: draft.id,
      label: "拍照取证",
      context: () => ({
        enterpriseId: draft.enterprise_id,
        enterpriseName: draft.enterprise_name,
        placeName: draft.place?.name,
        gps: draft.gps,
      }),
      onChange: async (ids) => {
        answer.media = ids;
        await save();
        refresh();
      },
    });

    const refresh = () => {
      const effective = effectiveResult(item, answer);
      card.classList.toggle("failed", effective === "fail");
      card.classList.toggle("answered", Boolean(answer.result));
      for (const [code, button] of buttons) button.setAttribute("aria-pressed", String(answer.result === code));
      const inRange = spec.type === "number" && answer.value != null && !isOutOfRange(spec, answer.value);
      verdict.classList.toggle("ok", effective === "pass" && inRange);
      if (spec.type === "number" && isOutOfRange(spec, answer.value) && answer.result !== "na") {
        verdict.textContent = "读数超出合格范围，判为不合格";
      } else if (effective === "fail" && answer.result !== "fail") {
        verdict.textContent = "所选结果判为不合格";
      } else if (effective === "pass" && inRange) {
        verdict.textContent = "读数在合格范围内，判为合格";
      } else {
        verdict.textContent = "";
      }
      photos.setRequired(effective === "fail" && item.photo_on_fail !== false);
      const problems = showProblems ? draftProblems([item], draft.answers) : {};
      // Once everything the warning named is fixed, the warning goes away.
      if (showProblems && !Object.keys(draftProblems(items, draft.answers)).length) hideToast();
      problem.textContent = problems[item.id] || "";
      card.classList.toggle("problem", Boolean(problems[item.id]));
      updateProgress();
    };

    const choose = async (result) => {
      answer.result = result;
      await save();
      refresh();
    };

    const resultButtons = (codes) =>
      h(
        "div.results",
        { role: "group", "aria-label": "检查结果" },
        RESULT_BUTTONS.filter(([code]) => codes.includes(code)).map(([code, label]) => {
          const button = h(`button.result.${code}`, { type: "button", "aria-pressed": "false", onclick: () => choose(code) }, label);
          buttons.set(code, button);
          return button;
        }),
      );

    let controls;
    if (spec.type === "number") {
      const inputId = `value-${item.id}`;
      const input = h("input.reading", {
        id: inputId,
        type: "text",
        inputmode: "decimal",
        autocomplete: "off",
        value: answer.raw ?? (answer.value ?? ""),
        "aria-describedby": `limit-${item.id}`,
        oninput: () => {
          answer.raw = input.value;
          answer.value = parseReading(input.value);
          if (answer.value != null && answer.result !== "fail" && answer.result !== "na") answer.result = "pass";
          if (answer.value == null && answer.result === "pass") answer.result = null;
          input.classList.toggle("out", isOutOfRange(spec, answer.value));
          save();
          refresh();
        },
      });
      input.classList.toggle("out", isOutOfRange(spec, answer.value));
      controls = h(
        "div",
        {},
        h("label.reading-label", { for: inputId }, "测量值"),
        h("div.reading-row", {}, input, spec.unit ? h("span.unit", {}, spec.unit) : ""),
        h("p.small.muted", { id: `limit-${item.id}` }, limitText(spec)),
        resultButtons(["fail", "na"]),
      );
    } else if (spec.type === "choice") {
      controls = h(
        "div.results.options",
        { role: "group", "aria-label": "选择结果" },
        spec.options.map((option) => {
          const button = h(
            `button.result${option.fails ? ".fail" : ".pass"}`,
            {
              type: "button",
              "aria-pressed": String(answer.value === option.code && answer.result !== "na"),
              onclick: async () => {
                answer.value = option.code;
                answer.result = "pass";
                for (const b of controls.querySelectorAll("button")) b.setAttribute("aria-pressed", "false");
                button.setAttribute("aria-pressed", "true");
                await save();
                refresh();
              },
            },
            option.label,
          );
          return button;
        }),
        (() => {
          const na = h("button.result.na", { type: "button", "aria-pressed": "false", onclick: () => choose("na") }, "不适用");
          buttons.set("na", na);
          return na;
        })(),
      );
    } else if (spec.type === "text") {
      const text = h("textarea.value", {
        rows: 2,
        placeholder: "记录内容",
        value: answer.value ?? "",
        oninput: () => {
          answer.value = text.value || null;
          save();
        },
      });
      controls = h("div", {}, text, resultButtons(["pass", "fail", "na"]));
    } else {
      controls = resultButtons(["pass", "fail", "na"]);
    }

    const basisBox = h("div.basis-box", { hidden: true });
    const basisButton = h(
      "button.link",
      {
        type: "button",
        "aria-expanded": "false",
        onclick: () => {
          const open = basisBox.hidden;
          if (open && !basisBox.firstChild) basisBox.append(basisList(draft.checklist, item));
          basisBox.hidden = !open;
          basisButton.setAttribute("aria-expanded", String(open));
          basisButton.textContent = open ? "收起依据" : "查看依据";
        },
      },
      "查看依据",
    );
    const methods = [].concat(item.method || []).map((m) => METHOD_LABELS[m] || m).join("、");
    const note = h("textarea.note", {
      rows: 2,
      placeholder: "备注（不合格时请写明问题和位置）",
      "aria-label": "备注",
      value: answer.note || "",
      oninput: () => {
        answer.note = note.value;
        save();
      },
    });

    card.append(
      h(
        "header",
        {},
        h("span.index", {}, `${index + 1}/${items.length}`),
        item.major ? h("span.badge.bad", {}, "重大隐患判定项") : "",
        item.verify === "pending" ? h("span.badge.warn", {}, "待核实") : "",
      ),
      h("p.item-text", {}, item.text),
      h("p.small.muted", {}, `${item.sectionTitle} · ${methods}`),
      item.guidance ? h("p.small.guidance", {}, item.guidance) : "",
      basisButton,
      basisBox,
      controls,
      verdict,
      note,
      photos,
      problem,
    );
    refresh();
    cards.set(item.id, refresh);
    return card;
  }

  async function captureLocation(force = false) {
    if (draft.gps && !force) {
      gpsLine.textContent = describe(draft.gps);
      return;
    }
    gpsLine.textContent = "正在定位…";
    const { gps, note } = await locate();
    if (!alive) return;
    draft.gps = gps;
    draft.gps_note = note;
    await save();
    gpsLine.replaceChildren(
      gps ? describe(gps) : note,
      " ",
      h("button.link", { type: "button", onclick: () => captureLocation(true) }, "重新定位"),
    );
  }

  async function submit(button) {
    showProblems = true;
    for (const refresh of cards.values()) refresh();
    const problems = draftProblems(items, draft.answers);
    const ids = Object.keys(problems);
    if (ids.length) {
      toast(`还有 ${ids.length} 项需要处理：${problems[ids[0]]}`, { kind: "error" });
      document.getElementById(`item-${ids[0]}`)?.scrollIntoView({ behavior: "smooth", block: "center" });
      return;
    }
    button.disabled = true;
    await saving;
    const deviceId = await db.getMeta("deviceId");
    const payload = buildPayload(draft, items, deviceId, new Date().toISOString());
    const p = progress(items, draft.answers);
    await outbox.add({
      id: draft.id,
      kind: "inspection",
      payload,
      media: payload.answers.flatMap((a) => a.media_ids),
      enterpriseId: draft.enterprise_id,
      label: {
        title: draft.plan_title || draft.checklist.title,
        place: draft.place?.name || "",
        summary: `共 ${p.total} 项，不合格 ${p.failed} 项`,
      },
    });
    await db.deleteDraft(draft.id);
    toast("检查记录已保存，正在同步", { kind: "ok" });
    syncNow();
    navigate(`#/records?highlight=${draft.id}`);
  }

  (async () => {
    container.replaceChildren(loading());
    draft = await db.getDraft(params.id);
    if (!alive) return;
    if (!draft) {
      const entry = await outbox.get(params.id);
      container.replaceChildren(
        h(
          "section.card",
          {},
          h("p", {}, entry ? "这份检查记录已提交。" : "没有找到这份检查草稿。"),
          h("a.button.secondary", { href: entry ? "#/records" : "#/tasks" }, entry ? "查看同步记录" : "返回今日任务"),
        ),
      );
      return;
    }
    items = expectedItems(draft.checklist.document, draft);
    const submitButton = h("button.submit", { type: "button", onclick: () => submit(submitButton) }, "提交检查记录");
    container.replaceChildren(
      screenTitle(draft.plan_title || draft.checklist.title),
      h(
        "section.card.inspect-head",
        {},
        h("p", {}, h("strong", {}, draft.place?.name || "未指定检查点"), draft.qr_scanned ? h("span.badge.ok", {}, "已扫码") : ""),
        h("p.small.muted", {}, `${draft.checklist.title} · 开始于 ${formatDateTime(draft.started_at)}`),
        gpsLine,
      ),
      h("div.progress-bar", {}, progressBar, progressText),
      h("div.items", {}, items.map((item, i) => itemCard(item, i))),
      h(
        "section.card.actions",
        {},
        warnings,
        submitButton,
        h("p.small.muted", {}, "提交后记录先保存在本机，联网后自动上传；照片先于记录上传。"),
        h(
          "button.link.danger-text",
          {
            type: "button",
            onclick: async () => {
              const yes = await confirmDialog("放弃本次检查？", "已填写的内容和照片将被删除，且无法恢复。", { ok: "放弃", danger: true });
              if (!yes) return;
              await discardDraft(draft.id);
              navigate("#/tasks");
            },
          },
          "放弃本次检查",
        ),
      ),
    );
    updateProgress();
    captureLocation().then(() => alive && updateWarnings());
    learnPlaceCoordinates();
    if (!api.currentSession()) toast("登录已失效，记录仍可填写，登录后同步", { kind: "error" });
  })();

  return () => {
    alive = false;
  };
}
