// The API client both apps use. It never throws: every call resolves to {ok: true, status, data}
// or {ok: false, status, problem}; status 0 means no answer (offline, dropped, timed out).
// Each app supplies where its tokens live and what a lost session means to it.

const BASE = "/api/v1";

// createClient({
//   tokens: () => ({access, refresh}) | null,     the current tokens, or null when logged out
//   saveTokens: async (access, refresh?) => …,      after a refresh (refresh only when rotated)
//   onExpired: () => …,                             the session is gone (a refresh answered 401)
//   onAnswer: (response) => …,                      optional: every answer the server sent
//   onUnanswered: () => …,                          optional: every request that got no answer
//   networkDetail: "…",                             the sentence shown when nothing answered
//   retryHint: "…",                                 what happens next after a timeout
//   timeout: 20000,                                 ms per request; 0 waits as long as fetch does
// })
export function createClient(options) {
  const {
    tokens,
    saveTokens,
    onExpired,
    onAnswer = () => {},
    onUnanswered = () => {},
    networkDetail = "无法连接服务器，请检查网络后重试。",
    retryHint = "请稍后再试。",
    timeout: defaultTimeout = 20000,
  } = options;
  let refreshing = null;

  function networkProblem(timedOut) {
    return {
      type: "/problems/network",
      title: timedOut ? "请求超时" : "网络不可用",
      detail: timedOut ? `服务器长时间未响应，${retryHint}` : networkDetail,
    };
  }

  // send(path, {method, json, form, token, timeout, raw}); raw resolves the body as a Blob.
  async function send(path, { method = "GET", json, form, token, timeout = defaultTimeout, raw = false } = {}) {
    const headers = { Accept: raw ? "*/*" : "application/json" };
    if (token) headers.Authorization = `Bearer ${token}`;
    let body;
    if (json !== undefined && json !== null) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(json);
    } else if (form) {
      body = form;
    }
    const controller = new AbortController();
    const timer = timeout ? setTimeout(() => controller.abort(), timeout) : null;
    try {
      const response = await fetch(path.startsWith("/") ? path : `${BASE}/${path}`, {
        method,
        headers,
        body,
        signal: controller.signal,
        cache: "no-store",
      });
      onAnswer(response);
      const type = response.headers.get("Content-Type") || "";
      let data = null;
      if (response.ok && raw) data = await response.blob();
      else if (type.includes("json")) data = await response.json().catch(() => null);
      else if (response.ok && method === "GET") data = await response.blob().catch(() => null);
      if (response.ok) {
        return { ok: true, status: response.status, data, cachedAt: response.headers.get("X-Anxun-Cached-At") };
      }
      return {
        ok: false,
        status: response.status,
        data: null,
        problem: data || { title: `服务器返回 ${response.status}`, detail: "", status: response.status },
        retryAfter: Number(response.headers.get("Retry-After")) || null,
      };
    } catch (error) {
      onUnanswered();
      return { ok: false, status: 0, data: null, problem: networkProblem(error?.name === "AbortError") };
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  // One refresh at a time; concurrent 401s wait for the same attempt. The server rotates refresh
  // tokens: the new one replaces the old, which stops working shortly after.
  function refreshAccess() {
    const current = tokens();
    if (!current?.refresh) return Promise.resolve({ ok: false, status: 401 });
    if (!refreshing) {
      refreshing = send("auth/refresh", { method: "POST", token: current.refresh }).then(async (result) => {
        if (result.ok && tokens()) await saveTokens(result.data?.access_token, result.data?.refresh_token);
        return result;
      });
      refreshing.finally(() => (refreshing = null));
    }
    return refreshing;
  }

  function expired() {
    onExpired();
    return {
      ok: false,
      status: 401,
      data: null,
      problem: { type: "/problems/unauthorized", title: "登录已过期", detail: "登录已过期，请重新登录。" },
    };
  }

  // A refresh that failed for another reason than a lost session (no answer, 502, 429 …) leaves
  // the session in place: the user stays logged in and may try again.
  function refreshUnavailable(result) {
    if (result.status === 0) return result;
    return {
      ok: false,
      status: result.status,
      data: null,
      retryable: true,
      retryAfter: result.retryAfter,
      problem: {
        type: "/problems/refresh-unavailable",
        title: "暂时无法续期登录",
        detail: `服务器暂时无法续期登录（${result.status}），登录仍然有效，${retryHint}`,
      },
    };
  }

  // request("tasks?assignee=me") or request("/api/v1/…", {method, json, form, auth, timeout, raw}).
  async function request(path, requestOptions = {}) {
    const auth = requestOptions.auth !== false;
    const first = await send(path, { ...requestOptions, token: auth ? tokens()?.access : undefined });
    if (first.ok || first.status !== 401 || !auth || !tokens()) return first;
    const refreshed = await refreshAccess();
    if (!refreshed.ok && refreshed.status === 401) return expired();
    if (!refreshed.ok) return refreshUnavailable(refreshed);
    const second = await send(path, { ...requestOptions, token: tokens()?.access });
    return second.status === 401 ? expired() : second;
  }

  const login = (username, password) =>
    send("auth/login", { method: "POST", json: { username, password } });

  // Revokes both tokens; answers are not awaited beyond a short timeout.
  async function logout(current) {
    if (!current) return;
    await send("auth/logout", { method: "POST", token: current.refresh, timeout: 5000 });
    await send("auth/logout", { method: "POST", token: current.access, timeout: 5000 });
  }

  return { send, request, login, logout };
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
