// Shared by the staff pages: the token, calls to the API, money and time, and live events.
const OE = (() => {
  const tokenKey = "order-engine-token";
  const api = "/api/v1";

  // a kiosk (a kitchen screen) is set up once with ?token=… in its address
  const fromUrl = new URLSearchParams(location.search).get("token");
  if (fromUrl) {
    localStorage.setItem(tokenKey, fromUrl);
    const clean = new URLSearchParams(location.search);
    clean.delete("token");
    history.replaceState(null, "", location.pathname + (clean.toString() ? "?" + clean : ""));
  }

  // the diner's page acts with its table's token, kept apart from any staff sign-in on the device
  let pinned = null;
  function useToken(t) { pinned = t; }
  function token() { return pinned ?? localStorage.getItem(tokenKey); }

  const venueKey = "order-engine-venue";

  /**
   * Asks for a sign-in once: staff sign in with their staff id and PIN (the venue typed once and
   * remembered); a machine (a kitchen screen, a kiosk) can still be given a token. Demo tokens are buttons.
   */
  function signIn(roleHint) {
    if (token()) return Promise.resolve(token());
    return new Promise(resolve => {
      const box = document.createElement("div");
      box.className = "signin";
      box.innerHTML = `<h2>员工登录 Staff sign-in</h2>
        <form id="staff" autocomplete="off">
          <input id="venue" aria-label="venue 门店" placeholder="门店 venue" size="8">
          <input id="sid" aria-label="staff id 工号" placeholder="工号 staff id" size="10" autocapitalize="off">
          <input id="pin" aria-label="PIN 密码" placeholder="PIN" type="password" inputmode="numeric" pattern="[0-9]*" size="8">
          <button class="primary">登录 Sign in</button>
        </form>
        <p id="why" role="alert"></p>
        <details><summary>设备令牌 Device token</summary>
          <input id="tok" aria-label="token" style="width:18em"> <button id="go">OK</button>
        </details>
        <p class="muted">Demo: ${["waiter","cashier","kitchen","manager","analyst"].map(r =>
          `<button data-t="demo-${r}" ${r === roleHint ? 'class="primary"' : ''}>demo-${r}</button>`).join(" ")}</p>`;
      document.body.appendChild(box);
      const $ = id => box.querySelector("#" + id);
      $("venue").value = localStorage.getItem(venueKey) || "main";
      $("sid").focus();
      const done = t => { localStorage.setItem(tokenKey, t); box.remove(); resolve(t); };
      $("staff").onsubmit = async e => {
        e.preventDefault();
        const venue = $("venue").value.trim() || "main";
        $("why").textContent = "";
        try {
          const r = await fetch(api + "/venues/" + encodeURIComponent(venue) + "/sessions", { method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ staffId: $("sid").value.trim(), pin: $("pin").value.trim() }) });
          const json = await r.json().catch(() => ({}));
          $("pin").value = "";
          if (r.status === 201) { localStorage.setItem(venueKey, venue); return done(json.token); }
          $("why").textContent = r.status === 429
            ? `尝试次数过多，请 ${r.headers.get("Retry-After") || json.retryAfterSeconds} 秒后再试 · Too many tries: wait ${r.headers.get("Retry-After") || json.retryAfterSeconds} s`
            : r.status === 401 ? "工号或密码不对 · Staff id or PIN not accepted" : (json.detail || r.statusText);
        } catch (err) { $("why").textContent = "网络错误 · Network error"; }
      };
      $("go").onclick = () => done($("tok").value.trim());
      box.querySelectorAll("button[data-t]").forEach(b => b.onclick = () => done(b.dataset.t));
    });
  }

  /** Forgets the token; a staff session (st1.…) is ended at the server too, unless it is already dead. */
  function signOut(alreadyRefused) {
    const t = localStorage.getItem(tokenKey);
    localStorage.removeItem(tokenKey);
    const reload = () => location.reload();
    if (t && t.startsWith("st1.") && !alreadyRefused) {
      fetch(api + "/sessions/current", { method: "DELETE", headers: { "Authorization": "Bearer " + t }, keepalive: true })
        .catch(() => {}).finally(reload);
    } else reload();
  }

  /** A new Idempotency-Key; keep it to send a retry of the same write (crypto.randomUUID needs https or localhost). */
  function newKey() { return crypto.randomUUID ? crypto.randomUUID() : Date.now().toString(36) + "-" + Math.random().toString(36).slice(2); }

  /** Calls the API; a write carries {@code key}, or a fresh Idempotency-Key. */
  /** Refusals a manager can lift on the spot: the POS asks for the manager's token and sends the request again. */
  const NEEDS_MANAGER = ["APPROVAL_REQUIRED", "DISCOUNT_LIMIT_EXCEEDED"];

  async function call(method, path, body, key, approval) {
    const headers = { "Authorization": "Bearer " + token() };
    if (method !== "GET") headers["Idempotency-Key"] = key = key || newKey();
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (approval) headers["X-Manager-Approval"] = approval;
    const r = await fetch(api + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    const json = text ? JSON.parse(text) : {};
    if (r.status === 403 && !approval && NEEDS_MANAGER.includes(json.code) && !pinned) {
      const manager = window.prompt((json.detail || "A manager must approve this.") + "\n\nManager's token:");
      if (manager && manager.trim()) return call(method, path, body, key, manager.trim());
    }
    if (r.status === 401 && !pinned) { signOut(true); }
    if (!r.ok) throw Object.assign(new Error(json.detail || r.statusText), { problem: json, status: r.status });
    return json;
  }

  const yuan = minor => "¥" + (minor / 100).toFixed(2);

  function age(iso) {
    const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
    return s < 60 ? s + "s" : Math.floor(s / 60) + "m" + String(s % 60).padStart(2, "0") + "s";
  }

  /** Every event type the streams carry (EventRoutes.describe). */
  const EVENT_TYPES = [
    "Opened", "LinesAdded", "LineVoided", "TicketFired", "LineReady", "LineServed", "TicketRecalled", "TicketReprinted",
    "BillsRequested", "BillSettled", "BillHandedOver", "Closed", "MovedOut", "MovedIn", "MergedIn", "MoveRefused",
    "PartySizeChanged", "StockReturned", "LineRemovalDelivered", "MoveStarted",
    "BillOpened", "BillPaymentRecorded", "BillPaymentSettled", "BillRefundRecorded", "BillRefundSettled",
    "BillDiscountApplied", "BillPaid", "BillLineRemoved", "BillTableInformed",
    "PaymentStarted", "PaymentAwaitingCustomer", "PaymentSucceeded", "PaymentFailed", "PaymentCancelRequested",
    "PaymentCancelled", "PaymentExpired", "PaymentPaidAfterEnd", "PaymentRefundRequested", "PaymentRefundSettled",
    "PaymentNotificationReceived", "PaymentBillInformed",
    "StockLevelSet", "MenuItemChanged"];

  /** Live events; the browser reconnects by itself and sends Last-Event-ID, so nothing is missed. */
  function live(path, onEvent) {
    const es = new EventSource(api + path + (path.includes("?") ? "&" : "?") + "access_token=" + encodeURIComponent(token()));
    const handle = e => { if (e.data) onEvent(JSON.parse(e.data)); }; // heartbeats carry no data
    es.onmessage = handle;
    // the server names each event by its type; an EventSource hears only the names it listens for
    EVENT_TYPES.forEach(t => es.addEventListener(t, handle));
    return es;
  }

  function toast(message, bad) {
    const t = document.createElement("div");
    t.className = "toast" + (bad ? " bad" : "");
    t.textContent = message;
    document.body.appendChild(t);
    setTimeout(() => t.remove(), 4000);
  }

  const esc = s => String(s ?? "").replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));

  return { token, useToken, signIn, signOut, call, newKey, yuan, age, live, toast, esc };
})();
