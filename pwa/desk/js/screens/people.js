// 人员 (enterprise desk): the enterprise's staff and their roles. The head adds accounts, sets
// roles, deactivates and resets passwords (the generated password is shown once and must be
// changed at the next login); a safety officer sees the list.
import { api } from "../api.js";
import * as session from "../session.js";
import { badge, fill, h, showProblem, table, toast } from "../ui.js";

const ROLES = [
  ["head", "主要负责人"],
  ["safety_officer", "安全管理人员"],
  ["inspector", "排查人员"],
  ["rectifier", "整改责任人"],
];

function rolesIn(user, enterpriseId) {
  return user.memberships.filter((m) => m.enterprise_id === enterpriseId).map((m) => m.role?.code || m.role);
}

function roleBoxes(prefix, checked, disabled) {
  return h(
    "span",
    { class: "role-boxes" },
    ROLES.map(([code, label]) =>
      h("label", { class: "check" }, h("input", { type: "checkbox", name: `${prefix}-role`, value: code, checked: checked.includes(code), disabled, dataset: { testid: `${prefix}-role-${code}` } }), label),
    ),
  );
}

function checkedRoles(node, prefix) {
  return [...node.querySelectorAll(`input[name="${prefix}-role"]:checked`)].map((i) => i.value);
}

export async function mount(container) {
  const enterpriseId = session.enterpriseId();
  const isHead = session.hasRole("head");
  const myId = session.me()?.id;
  const status = h("div", { dataset: { testid: "people-status" } });
  const holder = h("div", { dataset: { testid: "people-list" } });
  const secret = h("div", { dataset: { testid: "people-secret" } });
  let alive = true;

  async function patch(user, body, done) {
    const result = await api("PATCH", `/api/v1/enterprises/${enterpriseId}/users/${user.id}`, body);
    if (!alive) return;
    if (!result.ok) return showProblem(status, result.problem);
    fill(status);
    toast(done);
    await load();
  }

  async function reset(user) {
    if (!window.confirm(`确定重置“${user.display_name}”的密码？原密码将失效。`)) return;
    const result = await api("POST", `/api/v1/users/${user.id}/password-reset`);
    if (!alive) return;
    if (!result.ok) return showProblem(status, result.problem);
    fill(
      secret,
      h(
        "div",
        { class: "card notice", role: "status" },
        h("strong", { text: `${user.display_name}（${user.username}）的临时密码：` }),
        h("code", { text: result.data.initial_password, dataset: { testid: "people-initial-password" } }),
        h("p", { class: "muted", text: "仅显示一次，请当面或电话告知本人；首次登录时须修改密码。" }),
      ),
    );
    await load();
  }

  function columns() {
    return [
      { key: "display_name", label: "姓名", render: (u) => h("span", {}, u.display_name, u.id === myId ? h("span", { class: "muted", text: "（我）" }) : null) },
      { key: "username", label: "用户名" },
      { key: "phone", label: "手机号", render: (u) => u.phone || "—" },
      {
        key: "roles",
        label: "角色",
        render: (u) =>
          isHead
            ? h(
                "span",
                { dataset: { testid: "people-roles" } },
                roleBoxes(`u${u.id}`, rolesIn(u, enterpriseId), false),
                h("button", {
                  type: "button",
                  class: "secondary",
                  text: "保存角色",
                  dataset: { testid: "people-save-roles" },
                  on: { click: (event) => patch(u, { roles: checkedRoles(event.target.closest("td"), `u${u.id}`) }, "角色已保存") },
                }),
              )
            : rolesIn(u, enterpriseId).map((code) => ROLES.find(([c]) => c === code)?.[1] || code).join("、"),
      },
      {
        key: "state",
        label: "状态",
        render: (u) => [u.is_active ? badge("green", "在用") : badge("none", "已停用"), u.must_change_password ? [" ", badge("orange", "待改密码")] : null],
      },
      isHead && {
        key: "actions",
        label: "操作",
        render: (u) =>
          u.id === myId
            ? h("span", { class: "muted", text: "—" })
            : h(
                "span",
                { class: "actions" },
                h("button", {
                  type: "button",
                  class: u.is_active ? "danger" : "secondary",
                  text: u.is_active ? "停用" : "启用",
                  dataset: { testid: "people-toggle" },
                  on: { click: () => patch(u, { is_active: !u.is_active }, u.is_active ? "已停用" : "已启用") },
                }),
                h("button", { type: "button", class: "secondary", text: "重置密码", dataset: { testid: "people-reset" }, on: { click: () => reset(u) } }),
              ),
      },
    ].filter(Boolean);
  }

  async function load() {
    const result = await api("GET", `/api/v1/enterprises/${enterpriseId}/users`);
    if (!alive) return;
    if (!result.ok) return showProblem(holder, result.problem);
    fill(
      holder,
      table(columns(), result.data, {
        testid: "people-table",
        empty: "暂无人员。",
        rowAttrs: (u) => ({ dataset: { testid: "people-row", username: u.username, active: String(u.is_active) } }),
      }),
    );
  }

  function addForm() {
    const error = h("div");
    const form = h(
      "form",
      {
        class: "card filters",
        dataset: { testid: "people-add" },
        on: {
          submit: async (event) => {
            event.preventDefault();
            const data = new FormData(form);
            const body = {
              username: String(data.get("username")).trim(),
              display_name: String(data.get("display_name")).trim(),
              password: String(data.get("password")),
              roles: checkedRoles(form, "new"),
            };
            const phone = String(data.get("phone") || "").trim();
            if (phone) body.phone = phone;
            const result = await api("POST", `/api/v1/enterprises/${enterpriseId}/users`, body);
            if (!alive) return;
            if (!result.ok) return showProblem(error, result.problem);
            fill(error);
            form.reset();
            toast("已添加人员");
            await load();
          },
        },
      },
      h("label", {}, "姓名", h("input", { name: "display_name", required: true, maxlength: 60, dataset: { testid: "people-new-name" } })),
      h("label", {}, "用户名", h("input", { name: "username", required: true, pattern: "[A-Za-z0-9_.\\-]{3,64}", dataset: { testid: "people-new-username" } })),
      h("label", {}, "手机号（可选）", h("input", { name: "phone", pattern: "1\\d{10}", dataset: { testid: "people-new-phone" } })),
      h("label", {}, "初始密码（至少 8 位）", h("input", { name: "password", type: "password", required: true, minlength: 8, autocomplete: "new-password", dataset: { testid: "people-new-password" } })),
      h("label", {}, "角色", roleBoxes("new", ["inspector"], false)),
      h("button", { type: "submit", class: "primary", text: "添加人员", dataset: { testid: "people-new-submit" } }),
      error,
    );
    return [h("h2", { text: "添加人员" }), form];
  }

  fill(
    container,
    h("h1", { text: "人员" }),
    h("p", { class: "muted", text: isHead ? "主要负责人管理本企业账号：添加人员、设置角色、停用账号、重置密码（重置后首次登录须修改密码）。" : "本企业人员及角色（由主要负责人管理）。" }),
    status,
    secret,
    holder,
    isHead ? addForm() : null,
  );
  await load();
  return () => {
    alive = false;
  };
}
