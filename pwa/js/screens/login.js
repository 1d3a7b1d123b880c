// 登录 and, for people working for several enterprises, the choice of enterprise.
import * as api from "../api.js";
import { chooseEnterprise, enterprisesOf, navigate } from "../session.js";
import { h, problemText } from "../ui.js";

function enterpriseChoice(container, user) {
  const enterprises = enterprisesOf(user);
  if (!enterprises.length) {
    container.replaceChildren(
      h(
        "section.card",
        {},
        h("h1", {}, "无法使用移动端"),
        h("p", {}, "本应用供企业安全管理人员、检查人员和整改责任人使用。您的账号不属于任何企业，请使用监管工作台。"),
        h("a.button", { href: "/desk/" }, "打开监管工作台"),
        h("button.secondary", { type: "button", onclick: () => window.dispatchEvent(new CustomEvent("anxun:logout")) }, "退出登录"),
      ),
    );
    return;
  }
  container.replaceChildren(
    h(
      "section.card",
      {},
      h("h1", {}, "选择企业"),
      h("p.muted", {}, "您在多家企业任职，请选择本次工作的企业。"),
      h(
        "div.choices",
        {},
        enterprises.map((e) =>
          h(
            "button.choice",
            {
              type: "button",
              onclick: async () => {
                await chooseEnterprise(e);
                navigate("#/tasks");
              },
            },
            h("strong", {}, e.name),
            h("span.muted", {}, e.roles.map((r) => r.label ?? r).join("、")),
          ),
        ),
      ),
    ),
  );
}

export function mount(container, params) {
  const session = api.currentSession();
  if (session && params.choose) {
    enterpriseChoice(container, session.user);
    return () => {};
  }
  const error = h("p.error", { role: "alert" });
  const username = h("input", { id: "username", name: "username", autocomplete: "username", required: true, autocapitalize: "off" });
  const password = h("input", { id: "password", name: "password", type: "password", autocomplete: "current-password", required: true });
  const submit = h("button", { type: "submit" }, "登录");
  const form = h(
    "form.card.login",
    {
      onsubmit: async (event) => {
        event.preventDefault();
        error.textContent = "";
        submit.disabled = true;
        submit.textContent = "正在登录…";
        const result = await api.login(username.value.trim(), password.value);
        submit.disabled = false;
        submit.textContent = "登录";
        if (!result.ok) {
          error.textContent = result.status === 0 ? "无法连接服务器，请检查网络后重试。" : problemText(result);
          return;
        }
        const { access_token, refresh_token, user, must_change_password } = result.data;
        const enterprises = enterprisesOf(user);
        const only = enterprises.length === 1 ? enterprises[0] : null;
        await api.saveSession({
          access_token,
          refresh_token,
          user,
          must_change_password: Boolean(must_change_password),
          enterprise_id: only?.id ?? null,
          enterprise_name: only?.name ?? null,
        });
        // A generated or reset password is replaced first; the password screen then announces
        // the login (which starts syncing).
        if (must_change_password) {
          navigate("#/password");
          return;
        }
        window.dispatchEvent(new CustomEvent("anxun:login"));
        if (only) navigate("#/tasks");
        else enterpriseChoice(container, user);
      },
    },
    h("h1", {}, "登录"),
    h("label", { for: "username" }, "账号或手机号"),
    username,
    h("label", { for: "password" }, "密码"),
    password,
    error,
    submit,
    h("p.muted.small", {}, "登录后可离线排查，联网后自动同步。"),
  );
  container.replaceChildren(form);
  return () => {};
}
