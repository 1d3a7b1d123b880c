// Desk bootstrap: login form, nav per role (regulator, agency or enterprise), the hash router, logout.
import { api, loadMe, login, logout } from "./api.js";
import { SCREENS, allowedScreens, homeScreen, href, navigate, parseHash } from "./routes.js";
import * as session from "./session.js";
import { fill, h, showProblem } from "./ui.js";

const view = document.getElementById("view");
const top = document.getElementById("top");
let unmount = null;
let mounting = 0;

function showLogin(problem) {
  top.hidden = true;
  runUnmount();
  const error = h("div", { dataset: { testid: "login-error" } });
  const username = h("input", { id: "login-username", name: "username", autocomplete: "username", required: true, dataset: { testid: "login-username" } });
  const password = h("input", { id: "login-password", name: "password", type: "password", autocomplete: "current-password", required: true, dataset: { testid: "login-password" } });
  const submit = h("button", { type: "submit", class: "primary", text: "登录", dataset: { testid: "login-submit" } });
  const form = h(
    "form",
    {
      class: "login card",
      dataset: { testid: "login-form" },
      on: {
        submit: async (event) => {
          event.preventDefault();
          submit.disabled = true;
          const result = await login(username.value.trim(), password.value);
          submit.disabled = false;
          if (!result.ok) {
            showProblem(error, result.problem);
            return;
          }
          await enter();
        },
      },
    },
    h("h1", { text: "安巡 · 工作台" }),
    h("p", { class: "muted", text: "企业安全管理人员，应急管理、行业主管部门与受托第三方机构使用。" }),
    h("label", { htmlFor: "login-username" }, "用户名或手机号"),
    username,
    h("label", { htmlFor: "login-password" }, "密码"),
    password,
    error,
    submit,
  );
  fill(view, form);
  if (problem) showProblem(error, problem);
  username.focus();
}

function renderNav(current) {
  const nav = document.getElementById("nav");
  const names = allowedScreens(session.hasRole).filter((name) => SCREENS[name].nav);
  fill(
    nav,
    names.map((name) =>
      h("a", {
        href: href(name),
        class: name === current || SCREENS[current]?.parent === name ? "active" : "",
        text: SCREENS[name].nav,
        dataset: { testid: `nav-${name}` },
      }),
    ),
  );
  const user = session.me();
  fill(document.getElementById("brand"), session.isEnterprise() ? "安巡 · 企业工作台" : "安巡 · 监管工作台");
  fill(document.getElementById("who"), user ? `${user.display_name}（${session.organisationName()}）` : "");
}

function runUnmount() {
  if (typeof unmount === "function") {
    try {
      unmount();
    } catch (error) {
      console.error(error);
    }
  }
  unmount = null;
}

// A generated or reset password: the change is the only screen until it succeeds.
async function showForcedPasswordChange() {
  top.hidden = true;
  runUnmount();
  const ticket = ++mounting;
  const module = await import("./screens/password.js");
  if (ticket !== mounting) return;
  unmount = module.mount(view, { forced: true, done: enter });
}

async function route() {
  if (!session.tokens()) return showLogin();
  if (session.me()?.must_change_password) return showForcedPasswordChange();
  const { screen, arg, query } = parseHash(location.hash);
  const home = homeScreen(session.hasRole);
  if (!home) {
    top.hidden = false;
    renderNav(null);
    return showProblem(view, { title: "账号没有可用的角色", detail: "您的账号未分配任何企业、监管部门或第三方机构的角色，请联系单位管理员。" });
  }
  if (!screen) return navigate(home);
  top.hidden = false;
  renderNav(screen);
  runUnmount();
  const ticket = ++mounting;
  const container = h("section", { class: "screen", dataset: { screen, testid: `screen-${screen}` } });
  fill(view, container);
  const spec = SCREENS[screen];
  if (!spec) return showProblem(container, { title: "页面不存在", detail: `没有名为“${screen}”的页面。` });
  if (!session.hasRole(...spec.roles)) {
    return showProblem(container, { title: "无权访问", detail: "您的角色不能使用此页面。" });
  }
  fill(container, h("p", { class: "muted", text: "正在加载…" }));
  let module;
  try {
    module = await import(`./screens/${screen}.js`);
  } catch (error) {
    console.error(error);
    if (ticket === mounting) showProblem(container, { title: "页面加载失败", detail: "该页面暂不可用，请刷新后重试。" });
    return;
  }
  if (ticket !== mounting) return;
  fill(container);
  try {
    const cleanup = (await module.mount(container, { arg, query })) || null;
    if (ticket === mounting) unmount = cleanup;
    else if (typeof cleanup === "function") cleanup();
  } catch (error) {
    console.error(error);
    showProblem(container, { title: "页面出错", detail: String(error?.message || error) });
  }
}

async function enter() {
  const result = await loadMe();
  if (!result.ok) {
    session.clear();
    return showLogin(result.status === 401 ? null : result.problem);
  }
  if (!location.hash || location.hash === "#" || location.hash === "#/") {
    const home = homeScreen(session.hasRole);
    if (home) {
      history.replaceState(null, "", href(home));
    }
  }
  return route();
}

document.getElementById("logout").addEventListener("click", async () => {
  await logout();
  history.replaceState(null, "", location.pathname);
  showLogin();
});
window.addEventListener("anxun:logged-out", () => showLogin({ title: "登录已过期", detail: "请重新登录。" }));
window.addEventListener("hashchange", route);

// Expose the api for quick checks in the browser console and browser tests.
window.anxunWorkspace = { api };

if (session.tokens()) enter();
else showLogin();
