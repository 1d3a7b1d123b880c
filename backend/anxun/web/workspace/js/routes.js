// Hash router: "#/<screen>/<arg>?a=1" → import("./screens/<screen>.js").mount(container, params).
// The screen table says who may open a screen and whether it shows in the nav.

const REGULATOR = ["regulator_admin", "regulator_inspector", "platform_admin"];
const AUDITOR = ["auditor"];

// nav: label shown in the top nav (absent: reached by links only); parent: nav entry to highlight.
export const SCREENS = {
  overview: { nav: "辖区总览", roles: REGULATOR },
  map: { nav: "一张图", roles: REGULATOR },
  enterprise: { parent: "overview", roles: [...REGULATOR, ...AUDITOR] },
  patrols: { nav: "在线巡查", roles: [...REGULATOR, ...AUDITOR] },
  patrol: { parent: "patrols", roles: [...REGULATOR, ...AUDITOR] },
  orders: { nav: "整改指令", roles: REGULATOR },
  order: { parent: "orders", roles: REGULATOR },
  listings: { nav: "挂牌督办", roles: REGULATOR },
  enforcement: { nav: "执法记录", roles: REGULATOR },
  incidents: { nav: "事故报告", roles: REGULATOR },
  incident: { parent: "incidents", roles: REGULATOR },
  "spot-checks": { nav: "双随机抽查", roles: REGULATOR },
  "spot-check": { parent: "spot-checks", roles: REGULATOR },
  audits: { nav: "第三方审核", roles: [...REGULATOR, ...AUDITOR] },
  audit: { parent: "audits", roles: [...REGULATOR, ...AUDITOR] },
  reads: { nav: "查阅记录", roles: [...REGULATOR, ...AUDITOR] },
};

export function parseHash(hash) {
  const text = (hash || "").replace(/^#\/?/, "");
  const [path, search = ""] = text.split("?");
  const [screen = "", ...rest] = path.split("/").filter(Boolean);
  const query = Object.fromEntries(new URLSearchParams(search));
  return { screen: decodeURIComponent(screen), arg: rest.length ? rest.map(decodeURIComponent).join("/") : null, query };
}

export function href(screen, arg, query) {
  let text = `#/${screen}`;
  if (arg !== undefined && arg !== null && arg !== "") text += `/${encodeURIComponent(arg)}`;
  const search = query ? new URLSearchParams(Object.entries(query).filter(([, v]) => v !== "" && v != null)).toString() : "";
  return search ? `${text}?${search}` : text;
}

export function navigate(screen, arg, query) {
  location.hash = href(screen, arg, query);
}

// Replace the query part of the current route without re-mounting the screen.
export function replaceQuery(query) {
  const { screen, arg } = parseHash(location.hash);
  history.replaceState(null, "", href(screen, arg, query));
}

export function allowedScreens(hasRole) {
  return Object.keys(SCREENS).filter((name) => hasRole(...SCREENS[name].roles));
}

export function homeScreen(hasRole) {
  if (hasRole(...REGULATOR)) return "overview";
  if (hasRole(...AUDITOR)) return "audits";
  return null;
}
