// 修改密码: from 设置, or forced right after logging in with a generated or reset password.
import * as api from "../api.js";
import { navigate } from "../session.js";
import { h, toast } from "../ui.js";

function passwordField(id, label, autocomplete) {
  const input = h("input", { id, name: id, type: "password", autocomplete, required: true });
  const message = h("p.error.small", { id: `${id}-error`, role: "alert" });
  return { input, message, nodes: [h("label", { for: id }, label), input, message] };
}

export function mount(container) {
  const forced = Boolean(api.currentSession()?.must_change_password);
  const current = passwordField("current-password", forced ? "初始密码（管理员提供的密码）" : "当前密码", "current-password");
  const fresh = passwordField("new-password", "新密码（至少 8 位）", "new-password");
  const again = passwordField("new-password-again", "再次输入新密码", "new-password");
  const error = h("p.error", { role: "alert" });
  const submit = h("button", { type: "submit" }, "修改密码");

  const clear = () => [current, fresh, again].forEach((f) => (f.message.textContent = ""));
  const form = h(
    "form.card.login",
    {
      onsubmit: async (event) => {
        event.preventDefault();
        clear();
        error.textContent = "";
        if (fresh.input.value !== again.input.value) {
          again.message.textContent = "两次输入的新密码不一致。";
          return;
        }
        submit.disabled = true;
        const result = await api.request("me/password", {
          method: "POST",
          json: { current_password: current.input.value, new_password: fresh.input.value },
        });
        submit.disabled = false;
        if (!result.ok) {
          const byField = { current_password: current, new_password: fresh };
          const errors = result.problem?.errors || [];
          for (const e of errors) if (byField[e.field]) byField[e.field].message.textContent = e.message;
          if (!errors.length) {
            error.textContent = result.status === 0 ? "无法连接服务器，请联网后再修改密码。" : result.problem?.detail || "修改失败，请重试。";
          }
          return;
        }
        const session = api.currentSession();
        await api.saveSession({ ...session, must_change_password: false, user: { ...session.user, must_change_password: false } });
        toast("密码已修改。", { kind: "ok" });
        if (forced) {
          window.dispatchEvent(new CustomEvent("anxun:login"));
          navigate("#/tasks");
        } else {
          navigate("#/settings");
        }
      },
    },
    h("h1", {}, forced ? "请先修改密码" : "修改密码"),
    forced ? h("p.muted", {}, "您正在使用管理员生成或重置的密码。请设置只有您自己知道的新密码后继续使用。") : "",
    ...current.nodes,
    ...fresh.nodes,
    ...again.nodes,
    error,
    submit,
    forced
      ? h("button.secondary", { type: "button", onclick: () => window.dispatchEvent(new CustomEvent("anxun:logout")) }, "退出登录")
      : h("a.button.secondary", { href: "#/settings" }, "取消"),
  );
  container.replaceChildren(form);
  current.input.focus();
  return () => {};
}
