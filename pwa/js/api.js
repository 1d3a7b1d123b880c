// The fetch wrapper. It never throws: every call resolves to {ok: true, status, data} or
// {ok: false, status, problem}; status 0 means the network (or a timeout) failed.
import * as db from "./db.js";

const BASE = "/api/v1";
let session = null; // {access_token, refresh_token, user, enterprise_id, enterprise_name}
let refreshing = null;

export async function loadSession() {
  session = (await db.getMeta("session").catch(() => null)) || null;
  return session;
}

export const currentSession = () => session;

export async function saveSession(next) {
  session = next;
  await db.setMeta("session", next);
}

export function forgetSession() {
  session = null;
}

function networkProblem(timedOut) {
  return {
    type: "/problems/network",
    title: timedOut ? "请求超时" : "网络不可用",
    detail: timedOut ? "服务器长时间未响应，稍后将自动重试。" : "当前无法连接服务器，稍后将自动重试。",
  };
}

async function send(path, { method = "GET", json, form, token, timeout = 20000 } = {}) {
  const headers = { Accept: "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  let body;
  if (json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(json);
  } else if (form) {
    body = form;
  }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeout);
  try {
    const response = await fetch(path.startsWith("/") ? path : `${BASE}/${path}`, {
      method,
      headers,
      body,
      signal: controller.signal,
      cache: "no-store",
    });
    const type = response.headers.get("Content-Type") || "";
    let data = null;
    if (type.includes("json")) data = await response.json().catch(() => null);
    else if (response.ok && method === "GET") data = await response.blob().catch(() => null);
    const cachedAt = response.headers.get("X-Anxun-Cached-At");
    if (response.ok) return { ok: true, status: response.status, data, cachedAt };
    return {
      ok: false,
      status: response.status,
      problem: data || { title: `服务器返回 ${response.status}`, detail: "" },
      retryAfter: Number(response.headers.get("Retry-After")) || null,
    };
  } catch (error) {
    return { ok: false, status: 0, problem: networkProblem(error?.name === "AbortError") };
  } finally {
    clearTimeout(timer);
  }
}

// One refresh at a time; concurrent 401s wait for the same attempt.
async function refreshAccess() {
  if (!session?.refresh_token) return { ok: false, status: 401 };
  if (!refreshing) {
    refreshing = send("auth/refresh", { method: "POST", token: session.refresh_token }).then(
      async (result) => {
        if (result.ok && session) {
          await saveSession({ ...session, access_token: result.data.access_token });
        }
        return result;
      },
    );
    refreshing.finally(() => (refreshing = null));
  }
  return refreshing;
}

function sessionExpired() {
  window.dispatchEvent(new CustomEvent("anxun:auth-expired"));
  return {
    ok: false,
    status: 401,
    problem: { type: "/problems/unauthorized", title: "登录已过期", detail: "登录已过期，请重新登录。" },
  };
}

// request("tasks?assignee=me") or request("/api/v1/…"); options: method, json, form, auth, timeout.
export async function request(path, options = {}) {
  const auth = options.auth !== false;
  const first = await send(path, { ...options, token: auth ? session?.access_token : undefined });
  if (first.ok || first.status !== 401 || !auth || !session) return first;
  const refreshed = await refreshAccess();
  if (!refreshed.ok) return refreshed.status === 0 ? refreshed : sessionExpired();
  const second = await send(path, { ...options, token: session.access_token });
  return second.status === 401 ? sessionExpired() : second;
}

export async function login(username, password) {
  return send("auth/login", { method: "POST", json: { username, password } });
}

export async function logout() {
  if (!session) return;
  const { refresh_token: refresh, access_token: access } = session;
  await send("auth/logout", { method: "POST", token: refresh, timeout: 5000 });
  await send("auth/logout", { method: "POST", token: access, timeout: 5000 });
}

export function isRetryable(result) {
  return result.status === 0 || result.status === 408 || result.status === 429 || result.status >= 500;
}
