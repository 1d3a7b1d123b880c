// The fetch wrapper. It never throws: every call resolves to {ok: true, status, data} or
// {ok: false, status, problem}; status 0 means the network (or a timeout) failed.
import * as db from "./db.js";

const BASE = "/api/v1";
let session = null; // {access_token, refresh_token, user, enterprise_id, enterprise_name}
let refreshing = null;
// Consecutive requests that got no answer at all (offline, dropped connection, timeout).
let unanswered = 0;

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

// The server answered (not the worker from its cache): after requests that got no answer, the
// first success tells the outbox to retry at once.
function noteAnswer(response) {
  if (response.headers.get("X-Anxun-Cached-At") || response.headers.get("X-Anxun-Offline")) return;
  const wasUnreachable = unanswered > 0;
  unanswered = 0;
  if (wasUnreachable && response.ok) window.dispatchEvent(new CustomEvent("anxun:reachable"));
}

export const unansweredCount = () => unanswered;

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
    noteAnswer(response);
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
    unanswered += 1;
    return { ok: false, status: 0, problem: networkProblem(error?.name === "AbortError") };
  } finally {
    clearTimeout(timer);
  }
}

// One refresh at a time; concurrent 401s wait for the same attempt. A server that rotates
// refresh tokens sends a new one with the access token; it replaces the old one.
async function refreshAccess() {
  if (!session?.refresh_token) return { ok: false, status: 401 };
  if (!refreshing) {
    refreshing = send("auth/refresh", { method: "POST", token: session.refresh_token }).then(
      async (result) => {
        if (result.ok && session) {
          const { access_token: access, refresh_token: refresh } = result.data || {};
          await saveSession({ ...session, access_token: access, ...(refresh ? { refresh_token: refresh } : {}) });
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

function refreshUnavailable(result) {
  if (result.status === 0) return result;
  return {
    ok: false,
    status: result.status,
    retryable: true,
    retryAfter: result.retryAfter,
    problem: {
      type: "/problems/refresh-unavailable",
      title: "暂时无法续期登录",
      detail: `服务器暂时无法续期登录（${result.status}），登录仍然有效，稍后将自动重试。`,
    },
  };
}

// request("tasks?assignee=me") or request("/api/v1/…"); options: method, json, form, auth, timeout.
export async function request(path, options = {}) {
  const auth = options.auth !== false;
  const first = await send(path, { ...options, token: auth ? session?.access_token : undefined });
  if (first.ok || first.status !== 401 || !auth || !session) return first;
  const refreshed = await refreshAccess();
  // Only a 401 from the refresh means the session is gone. Anything else (no answer, 502, 429 …)
  // leaves the session in place: the caller retries later, the user stays logged in.
  if (!refreshed.ok && refreshed.status === 401) return sessionExpired();
  if (!refreshed.ok) return refreshUnavailable(refreshed);
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

// Worth trying again later: no answer, a timeout, too many requests, a server error, or a refresh
// that failed for a reason other than a lost session. Any other 4xx is the server refusing.
export function isRetryable(result) {
  return (
    Boolean(result.retryable) ||
    result.status === 0 ||
    result.status === 408 ||
    result.status === 429 ||
    result.status >= 500
  );
}
