// Hash router: "#/<screen>/<arg>?a=1" → import("./screens/<screen>.js").mount(container, params).
// The screen table says who may open a screen and whether it shows in the nav. One desk, three
// audiences: regulators, agencies (auditor) and enterprises (head, safety officer, inspector,
// rectifier); the nav shows each user the screens of their roles, in the table's order.

export const REGULATOR = ["regulator_admin", "regulator_inspector", "platform_admin"];
export const AUDITOR = ["auditor"];
export const HEAD = ["head"];
export const MANAGERS = ["head", "safety_officer"];
export const ENTERPRISE = ["head", "safety_officer", "inspector", "rectifier"];

// The enterprise desk. To add an enterprise screen: one entry here (nav label + roles; parent for
// a detail screen reached by links) and js/screens/<name>.js. The order here is the nav's order.
const ENTERPRISE_SCREENS = {
  ledger: { nav: "隐患台账", roles: ENTERPRISE },
  hazard: { parent: "ledger", roles: ENTERPRISE },
  permits: { nav: "特殊作业票", roles: ENTERPRISE },
  // Risk grading and control, places, plans, tasks, 包保责任 (issue #17) go here.
  risk: { nav: "风险分级管控", roles: ENTERPRISE },
  "risk-map": { parent: "risk", roles: ENTERPRISE },
  places: { nav: "地点与二维码", roles: MANAGERS },
  plans: { nav: "排查计划", roles: MANAGERS },
  tasks: { nav: "任务日历", roles: MANAGERS },
  accountability: { nav: "包保责任", roles: MANAGERS },
  people: { nav: "人员", roles: MANAGERS },
  documents: { nav: "文件资料", roles: ENTERPRISE },
  "enterprise-campaigns": { nav: "专项整治", roles: MANAGERS },
  grade: { nav: "等级评估", roles: MANAGERS },
};

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
  standards: { nav: "标准变更", roles: REGULATOR },
  incidents: { nav: "事故报告", roles: REGULATOR },
  incident: { parent: "incidents", roles: REGULATOR },
  campaigns: { nav: "专项整治", roles: [...REGULATOR, ...AUDITOR] },
  campaign: { parent: "campaigns", roles: [...REGULATOR, ...AUDITOR] },
  commitments: { nav: "安全承诺", roles: REGULATOR },
  "special-work": { nav: "特殊作业", roles: REGULATOR },
  permit: { parent: "special-work", roles: [...REGULATOR, ...ENTERPRISE] },
  "spot-checks": { nav: "双随机抽查", roles: REGULATOR },
  "spot-check": { parent: "spot-checks", roles: REGULATOR },
  audits: { nav: "第三方审核", roles: [...REGULATOR, ...AUDITOR] },
  audit: { parent: "audits", roles: [...REGULATOR, ...AUDITOR] },
  reads: { nav: "查阅记录", roles: [...REGULATOR, ...AUDITOR] },
  password: { roles: [...REGULATOR, ...AUDITOR, ...ENTERPRISE] },
  ...ENTERPRISE_SCREENS,
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

// Replace the query part of the route `owner` ({screen, arg}) without re-mounting the screen.
// Screens load asynchronously: by the time one writes its filters the user (or a link) may have
// moved on, and rewriting the newer route's query would drop its parameters. Only the route's
// own screen may rewrite it.
export function replaceQuery(owner, query) {
  const { screen, arg } = parseHash(location.hash);
  if (screen !== owner.screen || (owner.arg ?? null) !== arg) return;
  history.replaceState(null, "", href(screen, arg, query));
}

export function allowedScreens(hasRole) {
  return Object.keys(SCREENS).filter((name) => hasRole(...SCREENS[name].roles));
}

export function homeScreen(hasRole) {
  if (hasRole(...REGULATOR)) return "overview";
  if (hasRole(...AUDITOR)) return "audits";
  if (hasRole(...ENTERPRISE)) return "ledger";
  return null;
}
