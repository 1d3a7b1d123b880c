// 修改密码: from the header link, or forced right after logging in with a generated or reset
// password (then it is the only screen until the change succeeds).
import { api, loadMe } from "../api.js";
import { fill, h, showProblem, toast } from "../ui.js";

function passwordField(name, label, autocomplete) {
  const input = h("input", { id: `pw-${name}`, name, type: "password", autocomplete, required: true, dataset: { testid: `pw-${name}` } });
  const message = h("p", { class: "error", role: "alert", dataset: { testid: `pw-${name}-error` } });
  return { input, message, nodes: [h("label", { htmlFor: `pw-${name}` }, label), input, message] };
}

// params.forced: the login said must_change_password; params.done(): called after the change.
export function mount(container, { forced = false, done } = {}) {
  const current = passwordField("current", forced ? "初始密码（管理员提供的密码）" : "当前密码", "current-password");
  const fresh = passwordField("new", "新密码（至少 8 位）", "new-password");
  const again = passwordField("again", "再次输入新密码", "new-password");
  const status = h("div");
  const submit = h("button", { type: "submit", class: "primary", text: "修改密码", dataset: { testid: "pw-submit" } });
  const byField = { current_password: current, new_password: fresh };
  const form = h(
    "form",
    {
      class: "login card",
      dataset: { testid: "password-form" },
      on: {
        submit: async (event) => {
          event.preventDefault();
          for (const f of [current, fresh, again]) fill(f.message);
          fill(status);
          if (fresh.input.value !== again.input.value) {
            fill(again.message, "两次输入的新密码不一致。");
            return;
          }
          submit.disabled = true;
          const result = await api("POST", "/api/v1/me/password", {
            current_password: current.input.value,
            new_password: fresh.input.value,
          });
          submit.disabled = false;
          if (!result.ok) {
            const errors = result.problem?.errors || [];
            for (const e of errors) if (byField[e.field]) fill(byField[e.field].message, e.message);
            if (!errors.length) showProblem(status, result.problem);
            return;
          }
          await loadMe();
          toast("密码已修改。");
          if (done) done();
          else location.hash = "#/";
        },
      },
    },
    h("h1", { text: forced ? "请先修改密码" : "修改密码" }),
    forced ? h("p", { class: "muted", text: "您正在使用管理员生成或重置的密码。请设置只有您自己知道的新密码后继续使用。" }) : null,
    current.nodes,
    fresh.nodes,
    again.nodes,
    status,
    submit,
  );
  fill(container, form);
  current.input.focus();
  return () => {};
}
