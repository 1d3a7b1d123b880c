// 设置: storage used, persistent storage, export/import of unsynced records, version, log out.
import * as api from "../api.js";
import * as db from "../db.js";
import * as outbox from "../outbox.js";
import { currentEnterprise, enterprisesOf, navigate, roleCodes, roleLabels } from "../session.js";
import { syncNow } from "../sync.js";
import { confirmDialog, downloadFile, formatBytes, formatDateTime, h, screenTitle } from "../ui.js";

const MANAGERS = ["head", "safety_officer"];

async function storageCard() {
  const usage = h("p", {}, "正在统计…");
  const persistState = h("p", { role: "status" });
  const card = h("section.card", {}, h("h2", {}, "本机存储"), usage, persistState);
  if (navigator.storage?.estimate) {
    const { usage: used, quota } = await navigator.storage.estimate();
    usage.textContent = `已使用 ${formatBytes(used)}，可用上限约 ${formatBytes(quota)}`;
  } else {
    usage.textContent = "此浏览器无法统计存储用量。";
  }
  const describe = (granted) =>
    granted
      ? "持久存储：已获准，浏览器不会自动清除本应用的数据。"
      : "持久存储：未获准。存储空间紧张时浏览器可能清除本机数据，请及时同步，必要时导出待同步记录。";
  if (navigator.storage?.persist) {
    const persisted = await navigator.storage.persisted();
    persistState.textContent = describe(persisted);
    if (!persisted) {
      card.append(
        h(
          "button.secondary",
          {
            type: "button",
            onclick: async () => {
              const granted = await navigator.storage.persist();
              await db.setMeta("persistAnswer", granted);
              persistState.textContent = describe(granted);
            },
          },
          "申请持久存储",
        ),
      );
    }
  } else {
    persistState.textContent = "此浏览器不支持持久存储申请，请及时同步。";
  }
  return card;
}

function rescueCard() {
  const status = h("p.small", { role: "status" });
  const file = h("input.visually-hidden", {
    id: "import-file",
    type: "file",
    accept: "application/json,.json",
    onchange: async () => {
      const chosen = file.files[0];
      file.value = "";
      if (!chosen) return;
      try {
        const added = await outbox.importDocument(JSON.parse(await chosen.text()));
        status.textContent = added ? `已导入 ${added} 条记录，正在同步。` : "文件中的记录本机都已有，未导入新记录。";
        if (added) syncNow({ force: true });
      } catch (error) {
        status.textContent = `导入失败：${error.message}`;
      }
    },
  });
  return h(
    "section.card",
    {},
    h("h2", {}, "备份与恢复"),
    h("p.small.muted", {}, "浏览器清理数据前，可把尚未同步的记录（含照片）导出为文件，在另一台设备上导入后同步。"),
    h(
      "button.secondary",
      {
        type: "button",
        onclick: async () => {
          const deviceId = await db.getMeta("deviceId");
          const doc = await outbox.exportUnsynced(deviceId, api.currentSession()?.user);
          if (!doc.entries.length) {
            status.textContent = "没有待同步的记录，无需导出。";
            return;
          }
          const stamp = formatDateTime(new Date()).replace(/[-: ]/g, "");
          downloadFile(`安巡待同步记录-${stamp}.json`, JSON.stringify(doc));
          status.textContent = `已导出 ${doc.entries.length} 条记录、${doc.media.length} 张照片。`;
        },
      },
      "导出待同步记录",
    ),
    h("label.button.secondary", { for: "import-file" }, "导入记录文件", file),
    status,
  );
}

export function mount(container) {
  const session = api.currentSession();
  const enterprise = currentEnterprise();
  const several = enterprisesOf(session?.user).length > 1;
  const version = h(
    "p.small.muted",
    {},
    navigator.serviceWorker?.controller
      ? `离线缓存已启用 · 版本 ${document.documentElement.dataset.version || ""}`
      : "离线缓存未启用（此浏览器不支持或已禁用），请联网使用；草稿和待同步记录仍保存在本机。",
  );

  const logout = async () => {
    const waiting = await outbox.unsynced();
    const drafts = await db.listDrafts();
    if (waiting.length || drafts.length) {
      const parts = [waiting.length ? `${waiting.length} 条记录尚未同步` : "", drafts.length ? `${drafts.length} 份草稿未提交` : ""].filter(Boolean);
      const yes = await confirmDialog(
        "还有未同步的数据",
        `${parts.join("，")}。退出登录会从本机删除它们。建议先联网同步，或在上方“导出待同步记录”。`,
        { ok: "仍要退出", cancel: "先不退出", danger: true },
      );
      if (!yes) return;
    }
    window.dispatchEvent(new CustomEvent("anxun:logout"));
  };

  container.replaceChildren(
    screenTitle("设置"),
    h(
      "section.card",
      {},
      h("h2", {}, session?.user?.display_name || ""),
      h("p", {}, enterprise?.name || ""),
      h("p.small.muted", {}, roleLabels()),
      several ? h("button.secondary", { type: "button", onclick: () => navigate("#/choose") }, "切换企业") : "",
      h("a.button.secondary", { href: "#/commitment", dataset: { testid: "open-commitment" } }, "安全承诺与专项整治"),
    ),
    roleCodes().some((r) => MANAGERS.includes(r))
      ? h(
          "section.card",
          {},
          h("h2", {}, "第三方机构查阅记录"),
          h("p.small.muted", {}, "受委托的第三方机构查看本企业数据的每一次记录。"),
          h("a.button.secondary", { href: "#/reads", dataset: { testid: "open-reads" } }, "查看查阅记录"),
        )
      : "",
    roleCodes().some((r) => MANAGERS.includes(r))
      ? h(
          "section.card",
          {},
          h("h2", {}, "标准变更"),
          h("p.small.muted", {}, "检查表或风险分级表更新后，需按新标准重新判定的隐患、排查任务和风险评估。"),
          h("a.button.secondary", { href: "#/standards", dataset: { testid: "open-standards" } }, "查看需重新判定的事项"),
        )
      : "",
    h(
      "section.card",
      {},
      h("h2", {}, "账号安全"),
      h("a.button.secondary", { href: "#/password", dataset: { testid: "open-password" } }, "修改密码"),
    ),
    h("div", { id: "storage-slot" }),
    rescueCard(),
    h("section.card", {}, h("button.danger", { type: "button", onclick: logout }, "退出登录"), version),
  );
  storageCard().then((card) => container.querySelector("#storage-slot")?.replaceChildren(card));
  return () => {};
}
