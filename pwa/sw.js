// 安巡 service worker, written by hand: a versioned precache of the app shell (cache first),
// network first for GET /api/v1/* with the last answer kept for offline use, and nothing else.
// Writes (POST …) are never cached; they live in the page's IndexedDB outbox.

// PRECACHE-BEGIN: written by `flask anxun pwa manifest`; do not edit by hand.
const PRECACHE = {
  "files": {
    "/": "d83d27fa863a62bf",
    "/app.css": "7fd98d0fd177d872",
    "/icons/apple-touch-180.png": "be6ed1b71e6dc42c",
    "/icons/icon-192.png": "5555f7784ff9c445",
    "/icons/icon-512.png": "c77b58df83793a9c",
    "/icons/maskable-512.png": "feca616d1b230040",
    "/js/api.js": "59462cbae771227a",
    "/js/app.js": "ae96c4fa85da4b11",
    "/js/db.js": "ae83e45bfe10aa00",
    "/js/geo.js": "12e5ab1935be8ae0",
    "/js/hazard_queues.js": "05075d9121d7af8b",
    "/js/inspection.js": "c09b8fce69a4f389",
    "/js/outbox.js": "04e8f30fc6682e34",
    "/js/photo.js": "0b018ac8f245afa4",
    "/js/screens/commitment.js": "e933b4b22d45fc32",
    "/js/screens/evidence.js": "94d5b0383d071567",
    "/js/screens/hazard.js": "c2b8040821d52938",
    "/js/screens/hazard_forms.js": "76935d7252b2e1c7",
    "/js/screens/hazards.js": "92850feaded60a4a",
    "/js/screens/incident.js": "e6c3d1e1ead41754",
    "/js/screens/inspect.js": "2aab05240f2e8e34",
    "/js/screens/login.js": "08db1d15f21b7040",
    "/js/screens/orders.js": "24495c54b31b2641",
    "/js/screens/password.js": "60e88ff314f1cbf6",
    "/js/screens/permits.js": "3844a47ef99e1143",
    "/js/screens/place.js": "0c3a7da14293a9b9",
    "/js/screens/reads.js": "d4727c6531bdb023",
    "/js/screens/records.js": "e3cb9ffdf929455a",
    "/js/screens/report.js": "891cf0add0a208f4",
    "/js/screens/scan.js": "74c3d051075c39e2",
    "/js/screens/settings.js": "d46ad5ac94cba0e4",
    "/js/screens/standards.js": "9d4afcc897bb6643",
    "/js/screens/tasks.js": "8f9404a7061b232e",
    "/js/session.js": "a0d8da7dafe7e74c",
    "/js/sync.js": "60701302ddcf1a89",
    "/js/ui.js": "1f7249b04eccdcc1",
    "/js/viewer.js": "1b5b2a65d3112407",
    "/manifest.webmanifest": "1281bd48523621a1",
    "/shared/codes.js": "47f5b886551c4ff9",
    "/shared/dom.js": "9620902047a83c13",
    "/shared/http.js": "4307e22289c15804",
    "/shared/problems.js": "3b0eabbb99047da1",
    "/vendor/jsqr/jsQR.js": "bc40c8a15196236b"
  },
  "version": "e9f8a00a750c"
};
// PRECACHE-END

const SHELL_CACHE = `anxun-shell-${PRECACHE.version}`;
const DATA_CACHE = "anxun-data";
const NETWORK_TIMEOUT_MS = 8000;
// Not kept for offline use: tokens, photos (binary, large), documents, the API description.
const UNCACHED_API = /^\/api\/v1\/(auth\/|media\/|docs|openapi\.json)|\.pdf$|\.xlsx$/;

self.addEventListener("install", (event) => {
  // No skipWaiting(): a new version takes over on the next open, never mid-inspection.
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then((cache) => cache.addAll(Object.keys(PRECACHE.files).map((url) => new Request(url, { cache: "no-cache" })))),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("anxun-shell-") && name !== SHELL_CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  if (event.data?.type === "version") event.ports[0]?.postMessage({ version: PRECACHE.version });
});

function offlineProblem() {
  const body = {
    type: "/problems/offline",
    title: "离线",
    status: 503,
    detail: "当前离线，本机也没有这项数据的缓存，请联网后重试。",
  };
  return new Response(JSON.stringify(body), {
    status: 503,
    headers: { "Content-Type": "application/problem+json", "X-Anxun-Offline": "1" },
  });
}

async function remember(request, response) {
  const type = response.headers.get("Content-Type") || "";
  if (response.status !== 200 || !type.includes("json")) return;
  const headers = new Headers(response.headers);
  headers.set("X-Anxun-Cached-At", new Date().toISOString());
  const copy = new Response(await response.clone().blob(), { status: 200, headers });
  const cache = await caches.open(DATA_CACHE);
  await cache.put(request, copy);
}

async function networkFirst(event) {
  const { request } = event;
  const cached = () => caches.open(DATA_CACHE).then((c) => c.match(request, { ignoreVary: true }));
  const network = fetch(request).then(async (response) => {
    await remember(request, response);
    return response;
  });
  network.catch(() => {}); // a failure is handled below; no unhandled-rejection noise
  // The worker may be stopped once the page has its answer: keep it alive until the copy for
  // offline use is written, or the next offline open misses data the page has already seen.
  event.waitUntil(network.catch(() => {}));
  const slow = new Promise((resolve) => setTimeout(resolve, NETWORK_TIMEOUT_MS)).then(cached);
  try {
    // A weak signal should not leave the inspector staring at a spinner: after a while the
    // cached answer wins if there is one.
    const first = await Promise.race([network, slow]);
    if (first) return first;
    return await network;
  } catch {
    return (await cached()) || offlineProblem();
  }
}

async function shellFirst(request, key) {
  const cache = await caches.open(SHELL_CACHE);
  const hit = await cache.match(key);
  if (hit) return hit;
  try {
    return await fetch(request);
  } catch {
    return (await cache.match("/")) || offlineProblem();
  }
}

const OTHER_PAGES = /^\/(desk|public|api)\//;

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // Only the phone's own page is the shell: the desk (/desk/), the public pages and the API docs
  // share this origin and scope but are other pages, which the network serves.
  if (request.mode === "navigate") {
    if (url.pathname === "/" || url.pathname === "/index.html") {
      event.respondWith(shellFirst(request, "/"));
    }
    return;
  }
  // What those pages load (the shared toolkit, API data) goes to the network untouched, neither
  // answered from nor stored in this worker's caches: a desk page and its toolkit come from one
  // release, and the desk's data is never kept on the device.
  if (OTHER_PAGES.test(new URL(request.referrer || "/", self.location.origin).pathname)) return;
  if (url.pathname.startsWith("/api/")) {
    if (UNCACHED_API.test(url.pathname)) return;
    event.respondWith(networkFirst(event));
    return;
  }
  if (url.pathname in PRECACHE.files) event.respondWith(shellFirst(request, url.pathname));
});
