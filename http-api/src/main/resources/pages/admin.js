/*
 * The back office (/admin): the platform admin creates venues; an owner (or the admin) sets one up:
 * settings, stalls, stations, tables by area, the menu with categories, options and stock, staff and
 * their PINs, table cards, and the whole venue as JSON or the menu as CSV.
 *
 * Stable hooks for browser tests (keep them):
 *   sign-in ...... #si-venue, #si-staff, #si-pin, #si-go (staff id + PIN) · #si-token, #si-use-token · #sign-out
 *   tabs ......... button[data-tab="venues|settings|stalls|stations|tables|menu|staff|payments|cards|data"]
 *   answer ....... #msg[data-kind="busy|ok|bad"]: a write under way, or how the last one went (a refusal: the problem's detail)
 *   venues ....... #nv-id, #nv-name, #nv-tz, #nv-create · rows [data-venue] with button[data-act="choose-venue"]
 *   stalls ....... #st-id, #st-name, #st-name-en, #st-commission, #st-save · rows [data-stall]
 *   stations ..... #sn-id, #sn-name, #sn-name-en, #sn-save · rows [data-station]
 *   tables ....... #tb-area, #tb-ids (A01 or A01-A12), #tb-seats, #tb-add · [data-area] > [data-table]
 *   menu ......... #cat-id, #cat-name, #cat-name-en, #cat-sort, #cat-save · #it-sku, #it-name, #it-name-en, #it-stall,
 *                  #it-station, #it-category, #it-price (yuan), #it-stock, #it-available, #it-save · rows [data-sku]
 *   staff ........ #ns-id, #ns-name, #ns-role, #ns-pin, #ns-hire · rows [data-staff][data-role][data-disabled]
 *   payments ..... rows [data-provider="wechat|alipay"][data-configured] · #wx-mch, #wx-app, #wx-serial, #wx-v3key,
 *                  #wx-pubid, #wx-key, #wx-pub, #wx-notify, #wx-base, #wx-save · #ali-app, #ali-key, #ali-pub,
 *                  #ali-notify, #ali-gateway, #ali-save
 *   page ......... body[data-loaded="true"] once the chosen venue is drawn
 */
const $ = (s, r = document) => r.querySelector(s);
const $$ = (s, r = document) => [...r.querySelectorAll(s)];
const esc = OE.esc, enc = encodeURIComponent;

// common.js keeps the signed-in token under this key: the POS, kitchen and cards pages then act as the same person
const TOKEN_KEY = "order-engine-token";
// the venue the staff sign-in of every page remembers (common.js): the POS then offers the one set up here
const VENUE_KEY = "order-engine-venue";
const TAB_KEY = "order-engine-admin-tab";
// a token of no named venue (an API_TOKENS entry without one) belongs to this one
const DEFAULT_VENUE = "main";
const ROLES = [["waiter", "服务员 Waiter"], ["cashier", "收银员 Cashier"], ["kitchen", "厨房 Kitchen"],
  ["manager", "经理 Manager"], ["analyst", "分析 Analyst"], ["owner", "店主 Owner"]];
const ID = /^[A-Za-z0-9_-]{1,32}$/;

const A = {
  admin: false,
  venueId: localStorage.getItem(VENUE_KEY) || "",
  venues: [],
  profile: null,      // the chosen venue's name and settings (null until it is read)
  stalls: [], stations: [], items: [], categories: [], tables: [], staff: [], providers: {},
};

// ---------- talking to the node ----------

/** A path of the chosen venue: the admin belongs to none, so every call names it. */
const vpath = p => `/venues/${enc(A.venueId)}${p}`;

/** The answer of a write, in a line that stays in view however far the page is scrolled. */
function say(message, bad) {
  const m = $("#msg");
  m.textContent = message;
  m.dataset.kind = bad ? "bad" : "ok";
}

/** A write under way: the last answer is no longer the one on screen. */
function working(what) {
  const m = $("#msg");
  m.textContent = `… ${what}`;
  m.dataset.kind = "busy";
}

/** A refusal as a person reads it: the problem's detail and code, and any entry it points at. */
function describe(e) {
  const p = e && e.problem;
  if (!p || !p.code) {
    if (e && e.status) return `HTTP ${e.status}: ${e.message}`;
    return e instanceof TypeError ? `网络错误 Network error: ${e.message}` : String((e && e.message) || e);
  }
  const extra = Object.entries(p).filter(([k]) => !["status", "title", "detail", "code", "type", "instance"].includes(k));
  return `${p.detail || p.title} [${p.code}]` + extra.map(([k, v]) => `\n${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`).join("");
}

/** Runs one write for a button: disabled meanwhile, success or the problem said, the venue read again. */
async function act(what, button, fn) {
  working(what);
  if (button) button.disabled = true;
  try {
    await fn();
  } catch (e) {
    say(`✗ ${what}: ${describe(e)}`, true);
    return false;
  } finally {
    if (button) button.disabled = false;
  }
  say(`✓ ${what}`);
  await reload().catch(e => say(`✓ ${what}; ✗ 重新读取 Reading the venue again: ${describe(e)}`, true));
  return true;
}

/** A request outside OE.call: signing in (no token yet) and files (CSV is not JSON). */
async function raw(method, path, { body, type = "application/json", auth = true, accept } = {}) {
  const headers = {};
  if (auth && OE.token()) headers.Authorization = "Bearer " + OE.token();
  if (body !== undefined) headers["Content-Type"] = type;
  if (accept) headers.Accept = accept;
  if (method !== "GET") headers["Idempotency-Key"] = OE.newKey();
  const r = await fetch("/api/v1" + path, { method, headers, body });
  if (r.ok) return r;
  const text = await r.text();
  let problem = {};
  try { problem = JSON.parse(text); } catch { problem = { detail: text }; }
  throw Object.assign(new Error(problem.detail || r.statusText), { problem, status: r.status });
}

/** Yuan as a person types them ("38", "38.5", "-2.00") to integer fen, by the digits: never through a float. */
function parseYuan(text, { negative = false } = {}) {
  const s = String(text ?? "").trim().replace(/^[¥￥]/, "").replace(/[,\s]/g, "");
  const m = (negative ? /^(-?)(\d{1,9})(?:\.(\d{1,2}))?$/ : /^()(\d{1,9})(?:\.(\d{1,2}))?$/).exec(s);
  if (!m) return null;
  const fen = Number(m[2]) * 100 + Number((m[3] || "").padEnd(2, "0"));
  return m[1] === "-" ? -fen : fen;
}
const yuanText = minor => (minor < 0 ? "-" : "") + Math.floor(Math.abs(minor) / 100) + "." + String(Math.abs(minor) % 100).padStart(2, "0");

/** A whole number typed in a field, or a sentence saying what is wrong with it. */
function whole(text, name, min, max) {
  const s = String(text ?? "").trim();
  if (!/^\d+$/.test(s) || Number(s) < min || Number(s) > max) throw new Error(`${name}: ${min}..${max}`);
  return Number(s);
}

function requireId(value, name) {
  if (!ID.test(value)) throw new Error(`${name}: A-Z a-z 0-9 _ - (1..32)`);
  return value;
}

// ---------- signing in ----------

async function signInWithPin(event) {
  event.preventDefault();
  const venueId = $("#si-venue").value.trim(), staffId = $("#si-staff").value.trim(), pin = $("#si-pin").value.trim();
  try {
    requireId(venueId, "场所 Venue id");
    const r = await raw("POST", `/venues/${enc(venueId)}/sessions`, { body: JSON.stringify({ staffId, pin }), auth: false });
    const session = await r.json();
    localStorage.setItem(TOKEN_KEY, session.token);
    localStorage.setItem(VENUE_KEY, venueId);
    location.reload();
  } catch (e) {
    $("#si-pin").value = "";
    say(`✗ 登录 Sign in: ${describe(e)}`, true);
  }
}

function signInWithToken(event) {
  event.preventDefault();
  const token = $("#si-token").value.trim();
  if (!token) return say("✗ 请输入令牌 Enter a token", true);
  localStorage.setItem(TOKEN_KEY, token);
  const venueId = $("#si-venue").value.trim();
  if (venueId) localStorage.setItem(VENUE_KEY, venueId);
  location.reload();
}

/** OE.signOut ends a staff session at the node too; a configured token has none to end. */
const signOut = () => OE.signOut();

/** The admin may list venues; anyone else is refused, and belongs to the venue they signed in to. */
async function whoAmI() {
  try {
    // not OE.call: a token the node does not know is answered here, on the sign-in form, not by a reload
    A.venues = (await (await raw("GET", "/venues")).json()).venues || [];
    A.admin = true;
  } catch (e) {
    if (e.status !== 403) throw e;
    A.admin = false;
    if (!A.venueId) A.venueId = DEFAULT_VENUE;
  }
}

// ---------- reading the venue ----------

async function reload() {
  if (A.admin) {
    A.venues = (await OE.call("GET", "/venues")).venues || [];
    // a venue remembered from another sign-in that this node does not have: the first one it has
    if (!A.venues.some(v => v.venueId === A.venueId)) chooseVenue(A.venues.length ? A.venues[0].venueId : "");
  }
  if (A.venueId) await loadVenue();
  render();
}

/**
 * Everything the sections show, read in parallel: the venue's set-up as its export has it (name,
 * settings, stalls, stations, the floor plan, categories), the menu for the dishes with their stock,
 * and the staff (a manager may be refused some of it: that part says so).
 */
async function loadVenue() {
  const [setup, menu, staff, providers] = await Promise.all([
    OE.call("GET", vpath("/export")),
    OE.call("GET", vpath("/menu")),
    OE.call("GET", vpath("/staff")).catch(e => ({ refused: describe(e) })),
    OE.call("GET", vpath("/payment-providers")).catch(e => ({ refused: describe(e) })),
  ]);
  A.providers = providers;
  A.profile = { name: setup.name, settings: setup.settings || {} };
  A.stalls = setup.stalls || [];
  A.stations = setup.stations || [];
  A.items = menu.items || [];
  A.categories = sortCategories(menu.categories || setup.categories || [], A.items);
  A.tables = (setup.tables || []).map(t => ({ tableId: t.tableId, area: t.area || "", seats: t.seats || null }));
  A.staff = staff;
}

/** The venue's categories by their sort, and any category a dish names that was never set up. */
function sortCategories(listed, items) {
  const cats = listed.map(c => ({ categoryId: c.categoryId, name: c.name, nameEn: c.nameEn, sort: c.sort ?? 0 }));
  for (const i of items) {
    const id = i.category || "other";
    if (!cats.some(c => c.categoryId === id)) cats.push({ categoryId: id, name: id, nameEn: "", sort: Infinity, unlisted: true });
  }
  return cats.sort((a, b) => a.sort - b.sort || a.categoryId.localeCompare(b.categoryId));
}

// ---------- drawing ----------

function render() {
  $("#who").textContent = A.admin ? "平台管理员 Platform admin" : `场所 Venue ${A.venueId}`;
  $("[data-tab='venues']").hidden = !A.admin;
  renderVenuePick();
  renderVenues();
  const chosen = A.profile && A.venueId;
  $$("[data-tab]").filter(b => b.dataset.tab !== "venues").forEach(b => b.disabled = !chosen);
  if (chosen) {
    renderSettings();
    renderStalls();
    renderStations();
    renderTables();
    renderMenu();
    renderStaff();
    renderProviders();
  }
  showTab(localStorage.getItem(TAB_KEY) || (A.admin ? "venues" : "settings"));
  document.body.dataset.loaded = "true";
}

function showTab(tab) {
  const button = $(`[data-tab='${tab}']`);
  if (!button || button.hidden || button.disabled) tab = A.admin ? "venues" : "settings";
  localStorage.setItem(TAB_KEY, tab);
  $$("[data-tab]").forEach(b => b.classList.toggle("on", b.dataset.tab === tab));
  $$("[data-section]").forEach(s => s.hidden = s.dataset.section !== tab);
  if (tab === "cards") loadCards();
}

function renderVenuePick() {
  const pick = $("#venue-pick");
  pick.hidden = !A.admin || !A.venues.length;
  pick.innerHTML = A.venues.map(v => `<option value="${esc(v.venueId)}" ${v.venueId === A.venueId ? "selected" : ""}>${esc(v.venueId)} · ${esc(v.name)}</option>`).join("");
}

function renderVenues() {
  $("#venue-list").innerHTML = !A.venues.length ? `<p class="muted">还没有场所 No venues yet: create the first above.</p>` :
    `<table class="data"><tr><th class="l">编号 Id</th><th class="l">名称 Name</th><th class="l">时区 Time zone</th><th></th></tr>` +
    A.venues.map(v => `<tr data-venue="${esc(v.venueId)}"><td class="l"><b>${esc(v.venueId)}</b></td><td class="l">${esc(v.name)}</td>
      <td class="l">${esc(v.timeZone || "")}</td>
      <td>${v.venueId === A.venueId ? "当前 current" : `<button data-act="choose-venue">选择 Choose</button>`}</td></tr>`).join("") + `</table>`;
}

function renderSettings() {
  const s = A.profile.settings;
  $("#set-name").value = A.profile.name || "";
  $("#set-tz").value = s.timeZone || "";
  $("#set-day-start").value = s.businessDayStartsAtHour ?? "";
  $("#set-service").value = s.serviceChargePercent ?? "";
  $("#set-rounding").value = s.cashRounding || "none";
  $("#set-max-pct").value = s.cashierMaxDiscountPercent ?? "";
  $("#set-max-amount").value = s.cashierMaxDiscountMinor == null ? "" : yuanText(s.cashierMaxDiscountMinor);
  $("#venue-facts").textContent = `场所 Venue ${A.venueId}` + (s.currency ? ` · 币种 Currency ${s.currency}（建店时定 set at creation）` : "");
}

function renderStalls() {
  $("#stall-list").innerHTML = !A.stalls.length ? `<p class="muted">还没有档口 No stalls yet: a dish needs one.</p>` :
    `<table class="data"><tr><th class="l">编号 Id</th><th class="l">名称 Name</th><th class="l">English</th><th>佣金 Commission</th><th></th></tr>` +
    A.stalls.map(s => `<tr data-stall="${esc(s.stallId)}"><td class="l"><b>${esc(s.stallId)}</b></td><td class="l">${esc(s.name)}</td>
      <td class="l">${esc(s.nameEn || "")}</td><td>${s.commissionPercent ?? 0}%</td>
      <td><button data-act="edit-stall">编辑 Edit</button> <button class="danger" data-act="delete-stall">删除 Delete</button></td></tr>`).join("") + `</table>`;
}

function renderStations() {
  $("#station-list").innerHTML = !A.stations.length ? `<p class="muted">还没有工位 No stations yet: a dish is cooked at one.</p>` :
    `<table class="data"><tr><th class="l">编号 Id</th><th class="l">名称 Name</th><th class="l">English</th><th></th></tr>` +
    A.stations.map(s => `<tr data-station="${esc(s.stationId)}"><td class="l"><b>${esc(s.stationId)}</b></td><td class="l">${esc(s.name)}</td>
      <td class="l">${esc(s.nameEn || "")}</td>
      <td><a href="/kitchen?station=${enc(s.stationId)}">后厨屏 Screen</a> <button data-act="edit-station">编辑 Edit</button>
      <button class="danger" data-act="delete-station">删除 Delete</button></td></tr>`).join("") + `</table>`;
}

function renderTables() {
  const areas = [...new Set(A.tables.map(t => t.area))];
  $("#area-names").innerHTML = areas.filter(Boolean).map(a => `<option value="${esc(a)}">`).join("");
  $("#floor").innerHTML = !areas.length ? `<p class="muted">还没有桌台 No tables yet: add an area's tables above.</p>` :
    areas.map(area => {
      const tables = A.tables.filter(t => t.area === area);
      const seats = tables.reduce((n, t) => n + (t.seats || 0), 0);
      return `<div class="card area" data-area="${esc(area)}"><h3><span>${esc(area || "未分区 No area")}</span>
        <span class="muted">${tables.length} 桌 tables · ${seats} 座 seats</span></h3>
        <div class="tiles">${tables.map(tileHTML).join("")}</div></div>`;
    }).join("");
}

function tileHTML(t) {
  return `<div class="tile" data-table="${esc(t.tableId)}"><b>${esc(t.tableId)}</b>
    <label class="seats"><input data-act="seats" inputmode="numeric" value="${t.seats ?? ""}" aria-label="seats of ${esc(t.tableId)}"> 座 seats</label>
    <button class="danger" data-act="delete-table">删除 Remove</button></div>`;
}

function renderMenu() {
  fillSelect($("#it-stall"), A.stalls.map(s => [s.stallId, `${s.stallId} · ${s.name}`]));
  fillSelect($("#it-station"), A.stations.map(s => [s.stationId, `${s.stationId} · ${s.name}`]));
  fillSelect($("#it-category"), A.categories.map(c => [c.categoryId, `${c.name}${c.nameEn ? " " + c.nameEn : ""}`]));
  $("#menu-list").innerHTML = !A.categories.length ? `<p class="muted">还没有菜品 No dishes yet.</p>` :
    A.categories.map(c => {
      const items = A.items.filter(i => (i.category || "other") === c.categoryId);
      return `<div class="cat" data-category="${esc(c.categoryId)}"><h3>${esc(c.name)} <span class="muted">${esc(c.nameEn || "")} · ${esc(c.categoryId)}${c.unlisted ? "" : " · 排序 sort " + c.sort}</span>
        ${c.unlisted ? "" : `<button data-act="edit-category">编辑 Edit</button><button class="danger" data-act="delete-category">删除 Delete</button>`}</h3>
        ${items.length ? itemsTable(items) : `<p class="muted">此分类暂无菜品 No dishes in this category.</p>`}</div>`;
    }).join("");
}

function itemsTable(items) {
  return `<table class="data"><tr><th class="l">SKU</th><th class="l">菜名 Dish</th><th class="l">档口/工位 Stall/station</th><th>价格 Price</th>
    <th>在售 On sale</th><th>库存 Stock</th><th></th></tr>` + items.map(i => `<tr data-sku="${esc(i.sku)}">
    <td class="l"><b>${esc(i.sku)}</b></td>
    <td class="l">${esc(i.name)} <span class="muted">${esc(i.nameEn || "")}</span>${i.options && i.options.length ? `<br><small class="muted">选项 options: ${i.options.map(g => esc(g.name)).join(", ")}</small>` : ""}</td>
    <td class="l">${esc(i.stallId)} / ${esc(i.stationId)}</td><td>${OE.yuan(i.priceMinor)}</td>
    <td><input type="checkbox" data-act="available" ${i.available ? "checked" : ""} aria-label="on sale"></td>
    <td><input class="stock" data-act="stock" inputmode="numeric" value="${i.stock ?? ""}" placeholder="∞" aria-label="stock"></td>
    <td><button data-act="edit-item">编辑 Edit</button> <button class="danger" data-act="delete-item">删除 Delete</button></td></tr>`).join("") + `</table>`;
}

function fillSelect(select, options) {
  const keep = select.value;
  select.innerHTML = options.map(([v, label]) => `<option value="${esc(v)}">${esc(label)}</option>`).join("");
  if (options.some(([v]) => v === keep)) select.value = keep;
}

/** Which accounts are connected, with what the node may show of them; the notify URLs this node would be called at. */
function renderProviders() {
  if (A.providers.refused) { $("#provider-list").innerHTML = `<p class="bad">${esc(A.providers.refused)}</p>`; return; }
  const list = A.providers.providers || [];
  const name = { wechat: "微信支付 WeChat Pay", alipay: "支付宝 Alipay" };
  $("#provider-list").innerHTML = `<table class="data"><tr><th class="l">渠道 Provider</th><th>状态 State</th><th class="l">账户 Account</th>
    <th class="l">连接 Connected</th><th class="l">最近收款 Last payment</th><th></th></tr>` +
    list.map(p => `<tr data-provider="${esc(p.provider)}" data-configured="${!!p.configured}">
      <td class="l"><b>${name[p.provider] || esc(p.provider)}</b></td>
      <td>${p.configured ? `<span class="ok">已连接 connected</span>` : `<span class="muted">未连接 not connected</span>`}</td>
      <td class="l">${p.configured ? esc([p.mchId, p.appId].filter(Boolean).join(" · ")) : ""}</td>
      <td class="l">${p.configuredAt ? `${esc(new Date(p.configuredAt).toLocaleString())} · ${esc(p.configuredBy || "")}` : ""}</td>
      <td class="l">${p.lastUsedAt ? esc(new Date(p.lastUsedAt).toLocaleString()) : ""}</td>
      <td>${p.configured ? `<button class="danger" data-act="disconnect">断开 Disconnect</button>` : ""}</td></tr>`).join("") + `</table>`;
  for (const p of list) {
    const field = $(p.provider === "wechat" ? "#wx-notify" : "#ali-notify");
    if (field && !field.value) field.value = p.notifyUrl || (location.origin + p.callbackPath);
  }
}

function connectWechat(event) {
  event.preventDefault();
  return act("微信支付已连接 WeChat Pay connected", $("#wx-save"), () => OE.call("PUT", vpath("/payment-providers/wechat"), {
    mchId: $("#wx-mch").value.trim(), appId: $("#wx-app").value.trim(), merchantSerialNo: $("#wx-serial").value.trim(),
    apiV3Key: $("#wx-v3key").value.trim(), publicKeyId: $("#wx-pubid").value.trim(), privateKeyPem: $("#wx-key").value.trim(),
    publicKeyPem: $("#wx-pub").value.trim(), notifyUrl: $("#wx-notify").value.trim(), baseUrl: $("#wx-base").value.trim() || null,
  })).then(ok => { if (ok) { $("#wx-v3key").value = ""; $("#wx-key").value = ""; } });
}

function connectAlipay(event) {
  event.preventDefault();
  return act("支付宝已连接 Alipay connected", $("#ali-save"), () => OE.call("PUT", vpath("/payment-providers/alipay"), {
    appId: $("#ali-app").value.trim(), appPrivateKeyPem: $("#ali-key").value.trim(), alipayPublicKeyPem: $("#ali-pub").value.trim(),
    notifyUrl: $("#ali-notify").value.trim(), gatewayUrl: $("#ali-gateway").value.trim() || null,
  })).then(ok => { if (ok) $("#ali-key").value = ""; });
}

function renderStaff() {
  fillSelect($("#ns-role"), ROLES);
  if (A.staff.refused) { $("#staff-list").innerHTML = `<p class="bad">${esc(A.staff.refused)}</p>`; return; }
  const staff = A.staff.staff || [];
  $("#staff-list").innerHTML = !staff.length ? `<p class="muted">还没有员工 No staff yet: hire the first above.</p>` :
    `<table class="data"><tr><th class="l">员工号 Id</th><th class="l">姓名 Name</th><th class="l">角色 Role</th><th>状态 State</th><th>在线 Signed in</th><th></th></tr>` +
    staff.map(s => `<tr data-staff="${esc(s.staffId)}" data-role="${esc(s.role)}" data-disabled="${!!s.disabled}">
      <td class="l"><b>${esc(s.staffId)}</b></td><td class="l">${esc(s.name)}</td>
      <td class="l"><select data-act="role" aria-label="role">${ROLES.map(([r, label]) => `<option value="${r}" ${r === s.role ? "selected" : ""}>${label}</option>`).join("")}</select></td>
      <td>${s.disabled ? `<span class="bad">已停用 disabled</span>` : `<span class="ok">在职 active</span>`}</td>
      <td>${s.liveSessions ?? ""}${s.signInBlockedUntil ? ` <span class="warn" title="${esc(s.signInBlockedUntil)}">锁定中 locked</span>` : ""}</td>
      <td><button data-act="reset-pin">重置密码 Reset PIN</button>
        <button class="${s.disabled ? "" : "danger"}" data-act="${s.disabled ? "enable" : "disable"}">${s.disabled ? "启用 Enable" : "停用 Disable"}</button></td></tr>`).join("") + `</table>`;
}

async function loadCards() {
  const box = $("#cards");
  box.innerHTML = `<p class="muted">加载中… Loading…</p>`;
  try {
    const answer = await OE.call("GET", vpath("/table-cards"));
    $("#cards-base").textContent = "链接 Links: " + answer.baseUrl;
    box.innerHTML = answer.cards.map(c => `<div class="tcard" data-card="${esc(c.tableId)}"><div class="muted">${esc(answer.venue)}</div>
      <div class="tid">${esc(c.tableId)}</div>${c.qrSvg}<p><b>扫码点餐 · 买单</b><br>Scan to order &amp; pay</p>
      <div class="link">${esc(c.url)}</div></div>`).join("") || `<p class="muted">还没有桌台 No tables yet.</p>`;
  } catch (e) {
    box.innerHTML = `<p class="bad">${esc(describe(e))}</p>`;
  }
}

// ---------- writes ----------

function createVenue(event) {
  event.preventDefault();
  const venueId = $("#nv-id").value.trim();
  const body = { venueId, name: $("#nv-name").value.trim(), timeZone: $("#nv-tz").value.trim(), currency: $("#nv-currency").value.trim() || "CNY" };
  return act(`新建场所 Venue ${venueId} created`, $("#nv-create"), async () => {
    requireId(venueId, "编号 Venue id");
    await OE.call("POST", "/venues", body);
    chooseVenue(venueId);
  });
}

function chooseVenue(venueId) {
  A.venueId = venueId;
  A.profile = null;
  if (venueId) localStorage.setItem(VENUE_KEY, venueId);
}

/** Sends the settings that are filled in; a field left empty keeps its value at the node. */
function saveSettings(event) {
  event.preventDefault();
  return act("设置已保存 Settings saved", $("#set-save"), () => {
    const filled = id => $(id).value.trim() || undefined;
    const number = (id, name, max) => filled(id) === undefined ? undefined : whole(filled(id), name, 0, max);
    const body = {
      name: filled("#set-name"),
      timeZone: filled("#set-tz"),
      businessDayStartsAtHour: number("#set-day-start", "营业日开始 Day starts at", 23),
      serviceChargePercent: number("#set-service", "服务费 Service charge %", 100),
      cashRounding: $("#set-rounding").value,
      cashierMaxDiscountPercent: number("#set-max-pct", "折扣上限 Max discount %", 100),
      cashierMaxDiscountMinor: filled("#set-max-amount") === undefined ? undefined : yuanOrThrow(filled("#set-max-amount"), "减免上限 Max off"),
    };
    return OE.call("PUT", vpath("/settings"), body); // JSON.stringify leaves the undefined ones out
  });
}

function yuanOrThrow(text, name, options) {
  const fen = parseYuan(text, options);
  if (fen === null) throw new Error(`${name}: 金额如 an amount like 38.00`);
  return fen;
}

function saveStall(event) {
  event.preventDefault();
  const stallId = $("#st-id").value.trim();
  return act(`档口 Stall ${stallId} saved`, $("#st-save"), () => {
    requireId(stallId, "档口编号 Stall id");
    return OE.call("PUT", vpath(`/stalls/${enc(stallId)}`), { name: $("#st-name").value.trim(),
      nameEn: $("#st-name-en").value.trim() || null, commissionPercent: whole($("#st-commission").value || "0", "佣金 Commission %", 0, 100) });
  }).then(ok => ok && $("#stall-form").reset());
}

function saveStation(event) {
  event.preventDefault();
  const stationId = $("#sn-id").value.trim();
  return act(`工位 Station ${stationId} saved`, $("#sn-save"), () => {
    requireId(stationId, "工位编号 Station id");
    return OE.call("PUT", vpath(`/stations/${enc(stationId)}`), { name: $("#sn-name").value.trim(), nameEn: $("#sn-name-en").value.trim() || null });
  }).then(ok => ok && $("#station-form").reset());
}

/** "A01-A12" is twelve tables; "A1, A2 B5" three. */
function tableIds(text) {
  const ids = [];
  for (const part of text.split(/[\s,，]+/).filter(Boolean)) {
    const range = /^([A-Za-z_-]*)(\d+)-\1?(\d+)$/.exec(part);
    if (!range) { ids.push(requireId(part, "桌号 Table id")); continue; }
    const [, prefix, from, to] = range;
    if (Number(to) < Number(from) || Number(to) - Number(from) > 199) throw new Error(`桌号 Table ids: ${part}?`);
    for (let n = Number(from); n <= Number(to); n++) ids.push(requireId(prefix + String(n).padStart(from.length, "0"), "桌号 Table id"));
  }
  if (!ids.length) throw new Error("桌号 Table ids: A01 或 or A01-A12");
  return ids;
}

function addTables(event) {
  event.preventDefault();
  const area = $("#tb-area").value.trim();
  return act(`桌台已添加 Tables added to ${area}`, $("#tb-add"), async () => {
    const seats = whole($("#tb-seats").value, "座位 Seats", 1, 100);
    if (!area) throw new Error("区域 Area?");
    for (const id of tableIds($("#tb-ids").value)) await OE.call("PUT", vpath(`/tables/${enc(id)}`), { area, seats });
  }).then(ok => ok && ($("#tb-ids").value = ""));
}

function setSeats(tableId, text) {
  const table = A.tables.find(t => t.tableId === tableId);
  return act(`桌 Table ${tableId}: ${text} 座 seats`, null, () =>
    OE.call("PUT", vpath(`/tables/${enc(tableId)}`), { area: table.area || null, seats: whole(text, "座位 Seats", 1, 100) }));
}

function saveCategory(event) {
  event.preventDefault();
  const categoryId = $("#cat-id").value.trim();
  return act(`分类 Category ${categoryId} saved`, $("#cat-save"), () => {
    requireId(categoryId, "分类编号 Category id");
    return OE.call("PUT", vpath(`/menu/categories/${enc(categoryId)}`), { name: $("#cat-name").value.trim(),
      nameEn: $("#cat-name-en").value.trim() || null, sort: whole($("#cat-sort").value || "0", "排序 Sort", 0, 9999) });
  }).then(ok => ok && $("#category-form").reset());
}

/** The dish form as the API's item: price in fen from the typed yuan, options from their fieldsets. */
function dishFromForm() {
  return {
    name: $("#it-name").value.trim(),
    nameEn: $("#it-name-en").value.trim() || null,
    stallId: $("#it-stall").value,
    stationId: $("#it-station").value,
    category: $("#it-category").value || "other",
    priceMinor: yuanOrThrow($("#it-price").value, "价格 Price"),
    available: $("#it-available").checked,
    options: $$("#it-options fieldset.group").map(optionGroup),
  };
}

function optionGroup(fieldset) {
  const field = name => fieldset.querySelector(`[data-field='${name}']`);
  const groupId = requireId(field("groupId").value.trim(), "选项组编号 Option group id");
  const choices = field("choices").value.split("\n").map(l => l.trim()).filter(Boolean).map(line => {
    const [code, name, delta] = line.split(/\s*[,，]\s*/);
    return { code: requireId(code, `选项 Choice '${line}'`), name: name || code,
      priceDeltaMinor: delta ? yuanOrThrow(delta.replace(/^\+/, ""), `加价 Extra '${line}'`, { negative: true }) : 0 };
  });
  return { groupId, name: field("name").value.trim() || groupId, required: field("required").checked,
    multiple: field("multiple").checked, choices };
}

function saveDish(event) {
  event.preventDefault();
  const sku = $("#it-sku").value.trim();
  const stockText = $("#it-stock").value.trim();
  return act(`菜品 Dish ${sku} saved`, $("#it-save"), async () => {
    requireId(sku, "SKU");
    const item = dishFromForm();
    const stock = stockText === "" ? null : whole(stockText, "库存 Stock", 0, 1000000);
    await OE.call("PUT", vpath(`/menu/items/${enc(sku)}`), item);
    const before = A.items.find(i => i.sku === sku);
    if ((before ? before.stock ?? null : null) !== stock) await OE.call("PUT", vpath(`/menu/items/${enc(sku)}/stock`), { stock });
  }).then(ok => ok && clearDish());
}

function clearDish() {
  $("#dish-form").reset();
  $("#it-options").innerHTML = "";
  $("#dish-title").textContent = "菜品 Dish";
}

function editDish(sku) {
  const i = A.items.find(x => x.sku === sku);
  $("#dish-title").textContent = `编辑 Editing ${sku}`;
  $("#it-sku").value = i.sku;
  $("#it-name").value = i.name;
  $("#it-name-en").value = i.nameEn || "";
  $("#it-stall").value = i.stallId;
  $("#it-station").value = i.stationId;
  $("#it-category").value = i.category || "other";
  $("#it-price").value = yuanText(i.priceMinor);
  $("#it-stock").value = i.stock ?? "";
  $("#it-available").checked = !!i.available;
  $("#it-options").innerHTML = "";
  (i.options || []).forEach(addGroup);
  $("#dish-form").scrollIntoView({ behavior: "smooth" });
}

function addGroup(g = {}) {
  const choices = (g.choices || []).map(c => `${c.code}, ${c.name}${c.priceDeltaMinor ? ", " + yuanText(c.priceDeltaMinor) : ""}`).join("\n");
  $("#it-options").insertAdjacentHTML("beforeend", `<fieldset class="group"><legend>选项组 Option group</legend>
    <div class="row"><label class="f mid">编号 Id<input data-field="groupId" value="${esc(g.groupId || "")}" placeholder="SIZE"></label>
      <label class="f">名称 Name<input data-field="name" value="${esc(g.name || "")}" placeholder="份量 Size"></label>
      <label class="c"><input type="checkbox" data-field="required" ${g.required ? "checked" : ""}> 必选 Required</label>
      <label class="c"><input type="checkbox" data-field="multiple" ${g.multiple ? "checked" : ""}> 多选 Several</label>
      <button type="button" class="danger" data-act="remove-group">移除 Remove</button></div>
    <textarea data-field="choices" placeholder="REGULAR, 标准 Regular&#10;LARGE, 大份 Large, 3.00">${esc(choices)}</textarea></fieldset>`);
}

/** Flips one dish on or off sale: the item is sent whole, as it is. */
function setAvailable(sku, available) {
  const i = A.items.find(x => x.sku === sku);
  const body = { name: i.name, nameEn: i.nameEn || null, stallId: i.stallId, stationId: i.stationId, category: i.category,
    priceMinor: i.priceMinor, available, options: i.options || [] };
  return act(`${sku}: ${available ? "在售 on sale" : "停售 off sale"}`, null, () => OE.call("PUT", vpath(`/menu/items/${enc(sku)}`), body));
}

function setStock(sku, text) {
  return act(`${sku}: 库存 stock ${text.trim() || "∞"}`, null, () => OE.call("PUT", vpath(`/menu/items/${enc(sku)}/stock`),
    { stock: text.trim() === "" ? null : whole(text, "库存 Stock", 0, 1000000) }));
}

function hire(event) {
  event.preventDefault();
  const staffId = $("#ns-id").value.trim();
  return act(`员工 Staff ${staffId} hired`, $("#ns-hire"), () => {
    requireId(staffId, "员工号 Staff id");
    return OE.call("POST", vpath("/staff"), { staffId, name: $("#ns-name").value.trim(), role: $("#ns-role").value, pin: $("#ns-pin").value.trim() });
  }).then(ok => ok && $("#staff-form").reset());
}

const patchStaff = (staffId, change, what) =>
  act(`${staffId}: ${what}`, null, () => OE.call("PATCH", vpath(`/staff/${enc(staffId)}`), change));

function resetPin(staffId) {
  const pin = window.prompt(`${staffId} 的新密码 New PIN for ${staffId}:`);
  if (pin && pin.trim()) patchStaff(staffId, { pin: pin.trim() }, "密码已重置 PIN reset");
}

/** Deletes after the person says yes: a removed stall, table or dish is gone from the POS at once. */
function remove(what, path) {
  if (!window.confirm(`删除 Delete ${what}?`)) return;
  act(`已删除 Deleted ${what}`, null, () => OE.call("DELETE", vpath(path)));
}

// ---------- files ----------

function download(name, type, text) {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name;
  document.body.appendChild(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}

async function exportVenue() {
  working("导出 Export");
  try {
    const data = await OE.call("GET", vpath("/export"));
    download(`venue-${A.venueId}.json`, "application/json", JSON.stringify(data, null, 2));
    say(`✓ 已导出 Exported ${A.venueId}`);
  } catch (e) {
    say(`✗ 导出 Export: ${describe(e)}`, true);
  }
}

/** Reads the chosen file; a file that is not JSON is refused here, before the node sees it. */
async function chosenFile(input) {
  const file = input.files[0];
  if (!file) throw new Error("请选择文件 Choose a file first");
  return file.text();
}

function importVenue() {
  $("#import-problem").textContent = "";
  return act(`已导入 Imported into ${A.venueId}`, $("#import"), async () => {
    const text = await chosenFile($("#import-file"));
    let data;
    try { data = JSON.parse(text); } catch (e) { throw new Error("不是 JSON Not JSON: " + e.message); }
    await OE.call("PUT", vpath("/import"), data).catch(e => { $("#import-problem").textContent = describe(e); throw e; });
  });
}

async function downloadCsv() {
  working("menu.csv");
  try {
    const r = await raw("GET", vpath("/menu.csv"), { accept: "text/csv" });
    download(`menu-${A.venueId}.csv`, "text/csv", await r.text());
    say(`✓ 已下载 menu.csv downloaded`);
  } catch (e) {
    say(`✗ menu.csv: ${describe(e)}`, true);
  }
}

function uploadCsv() {
  $("#import-problem").textContent = "";
  return act("菜单已上传 menu.csv uploaded", $("#csv-upload"), async () => {
    const text = await chosenFile($("#csv-file"));
    await raw("PUT", vpath("/menu.csv"), { body: text, type: "text/csv; charset=utf-8" })
      .catch(e => { $("#import-problem").textContent = describe(e); throw e; });
  });
}

// ---------- wiring ----------

/** A row's buttons and fields act on the row's id: data-stall, data-station, data-table, data-sku, data-staff... */
const rowId = (el, attr) => el.closest(`[${attr}]`).getAttribute(attr);

const CLICKS = {
  "choose-venue": el => { chooseVenue(rowId(el, "data-venue")); reload().catch(e => say(describe(e), true)); },
  "edit-stall": el => fillForm(A.stalls.find(s => s.stallId === rowId(el, "data-stall")),
    { "#st-id": "stallId", "#st-name": "name", "#st-name-en": "nameEn", "#st-commission": "commissionPercent" }),
  "delete-stall": el => remove(`档口 stall ${rowId(el, "data-stall")}`, `/stalls/${enc(rowId(el, "data-stall"))}`),
  "edit-station": el => fillForm(A.stations.find(s => s.stationId === rowId(el, "data-station")),
    { "#sn-id": "stationId", "#sn-name": "name", "#sn-name-en": "nameEn" }),
  "delete-station": el => remove(`工位 station ${rowId(el, "data-station")}`, `/stations/${enc(rowId(el, "data-station"))}`),
  "delete-table": el => remove(`桌 table ${rowId(el, "data-table")}`, `/tables/${enc(rowId(el, "data-table"))}`),
  "edit-category": el => fillForm(A.categories.find(c => c.categoryId === rowId(el, "data-category")),
    { "#cat-id": "categoryId", "#cat-name": "name", "#cat-name-en": "nameEn", "#cat-sort": "sort" }),
  "delete-category": el => remove(`分类 category ${rowId(el, "data-category")}`, `/menu/categories/${enc(rowId(el, "data-category"))}`),
  "edit-item": el => editDish(rowId(el, "data-sku")),
  "delete-item": el => remove(`菜品 dish ${rowId(el, "data-sku")}`, `/menu/items/${enc(rowId(el, "data-sku"))}`),
  "remove-group": el => el.closest("fieldset").remove(),
  "reset-pin": el => resetPin(rowId(el, "data-staff")),
  "disable": el => patchStaff(rowId(el, "data-staff"), { disabled: true }, "已停用 disabled"),
  "enable": el => patchStaff(rowId(el, "data-staff"), { disabled: false }, "已启用 enabled"),
  "disconnect": el => remove(`收款账户 payment account ${rowId(el, "data-provider")}`, `/payment-providers/${enc(rowId(el, "data-provider"))}`),
};

const CHANGES = {
  "seats": el => setSeats(rowId(el, "data-table"), el.value),
  "available": el => setAvailable(rowId(el, "data-sku"), el.checked),
  "stock": el => setStock(rowId(el, "data-sku"), el.value),
  "role": el => patchStaff(rowId(el, "data-staff"), { role: el.value }, `角色 role ${el.value}`),
};

function fillForm(record, fields) {
  for (const [selector, key] of Object.entries(fields)) $(selector).value = record[key] ?? "";
  $(Object.keys(fields)[0]).closest("form").scrollIntoView({ behavior: "smooth" });
}

function wire() {
  $("#pin-form").onsubmit = signInWithPin;
  $("#token-form").onsubmit = signInWithToken;
  $("#sign-out").onclick = signOut;
  $("#tabs").onclick = e => { const b = e.target.closest("[data-tab]"); if (b) showTab(b.dataset.tab); };
  $("#venue-pick").onchange = e => { chooseVenue(e.target.value); reload().catch(err => say(describe(err), true)); };
  $("#venue-form").onsubmit = createVenue;
  $("#settings-form").onsubmit = saveSettings;
  $("#stall-form").onsubmit = saveStall;
  $("#station-form").onsubmit = saveStation;
  $("#table-form").onsubmit = addTables;
  $("#category-form").onsubmit = saveCategory;
  $("#dish-form").onsubmit = saveDish;
  $("#it-add-group").onclick = () => addGroup();
  $("#it-clear").onclick = clearDish;
  $("#staff-form").onsubmit = hire;
  $("#wechat-form").onsubmit = connectWechat;
  $("#alipay-form").onsubmit = connectAlipay;
  $("#cards-print").onclick = () => window.print();
  $("#export").onclick = exportVenue;
  $("#import").onclick = importVenue;
  $("#csv-download").onclick = downloadCsv;
  $("#csv-upload").onclick = uploadCsv;
  $("main").addEventListener("click", e => {
    const el = e.target.closest("button[data-act]");
    if (el && CLICKS[el.dataset.act]) CLICKS[el.dataset.act](el);
  });
  $("main").addEventListener("change", e => {
    const el = e.target.closest("[data-act]");
    if (el && CHANGES[el.dataset.act]) CHANGES[el.dataset.act](el);
  });
}

function showSignIn(problem) {
  $("#app").hidden = true;
  $("#signin").hidden = false;
  $("#si-venue").value = A.venueId;
  if (problem) say(`✗ 登录 Sign in: ${problem}`, true);
  document.body.dataset.loaded = "signin";
}

async function main() {
  wire();
  if (!OE.token()) return showSignIn();
  try {
    await whoAmI();
  } catch (e) {
    if (e.status !== 401) throw e;
    localStorage.removeItem(TOKEN_KEY);
    return showSignIn(describe(e));
  }
  $("#app").hidden = false;
  $("#sign-out").hidden = false;
  await reload();
}

main().catch(e => say(`✗ ${describe(e)}`, true));
