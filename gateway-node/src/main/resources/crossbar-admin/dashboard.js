// Crossbar dashboard: polls the admin API once a second and draws the cluster, its keys and their use.
// No build step, no dependencies. The admin token lives in sessionStorage (this tab only).
"use strict";

(() => {
  const TOKEN_KEY = "crossbar.admin.token";
  const THEME_KEY = "crossbar.theme";
  const POLL_MS = 1000;
  const HISTORY_MS = 15 * 60 * 1000;
  const MIN_WINDOW_MS = 60 * 1000;
  const HISTORY_POLL_MS = 5000;
  const PALETTE = ["#6ea8fe", "#3fb950", "#d29922", "#db61a2", "#a371f7", "#39c5cf", "#f0883e", "#8b949e"];

  const $ = (id) => document.getElementById(id);
  let token = sessionStorage.getItem(TOKEN_KEY);
  let timer = null;
  let inFlight = false;
  // The node's per-provider throughput history (GET /admin/api/history), refreshed every few seconds.
  let history = null;
  let historyFetched = 0;
  const providerColours = new Map();
  let lastKeys = null;
  let lastFetchLocal = 0;
  let lastServerNow = 0;
  // The usage database's sums (GET /admin/api/usage), refreshed every 10 s: they are SQL, not memory.
  const USAGE_POLL_MS = 10000;
  const USAGE_DAYS = 14;
  let usage = null;
  let usageFetched = 0;
  // The budgets' standing (GET /admin/api/budgets), read from the node's view of the budget ledger.
  const BUDGETS_POLL_MS = 2000;
  let budgetsFetched = 0;

  // ---- theme --------------------------------------------------------------------------------------

  function applyTheme(theme) {
    if (theme) {
      document.documentElement.dataset.theme = theme;
    } else if (window.matchMedia && window.matchMedia("(prefers-color-scheme: light)").matches) {
      document.documentElement.dataset.theme = "light";
    } else {
      document.documentElement.dataset.theme = "dark";
    }
  }
  applyTheme(localStorage.getItem(THEME_KEY));

  // ---- small DOM helpers ----------------------------------------------------------------------------

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === undefined || v === null || v === false) continue;
        if (k === "class") e.className = v;
        else if (k === "text") e.textContent = v;
        else if (k.startsWith("data-")) e.setAttribute(k, v);
        else if (k === "title") e.title = v;
        else e.setAttribute(k, v);
      }
    }
    for (const c of children) {
      if (c === null || c === undefined || c === false) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  const fmt = {
    int: (n) => (n === null || n === undefined ? "-" : Math.round(n).toLocaleString("en-US")),
    compact(n) {
      if (n === null || n === undefined) return "-";
      const a = Math.abs(n);
      if (a >= 1e9) return (n / 1e9).toFixed(a >= 1e10 ? 0 : 1) + "G";
      if (a >= 1e6) return (n / 1e6).toFixed(a >= 1e7 ? 0 : 1) + "M";
      if (a >= 1e3) return (n / 1e3).toFixed(a >= 1e4 ? 0 : 1) + "k";
      return a >= 10 || a === 0 ? Math.round(n).toString() : n.toFixed(1);
    },
    pct: (r) => (r === null || r === undefined ? "-" : Math.round(r * 100) + "%"),
    rate: (n) => (n === null || n === undefined ? "-" : n.toFixed(1)),
    duration(seconds) {
      seconds = Math.max(0, Math.round(seconds));
      if (seconds < 60) return seconds + "s";
      if (seconds < 3600) return Math.floor(seconds / 60) + "m " + (seconds % 60) + "s";
      if (seconds < 86400) return Math.floor(seconds / 3600) + "h " + Math.floor((seconds % 3600) / 60) + "m";
      return Math.floor(seconds / 86400) + "d " + Math.floor((seconds % 86400) / 3600) + "h";
    },
    ms: (v) => (v === null || v === undefined ? "-" : v < 10 ? v.toFixed(1) + " ms" : Math.round(v) + " ms"),
  };

  // ---- API ------------------------------------------------------------------------------------------

  class AuthError extends Error {}

  async function api(path, options = {}) {
    const response = await fetch(path, {
      ...options,
      headers: { Authorization: "Bearer " + token, Accept: "application/json", ...(options.headers || {}) },
      cache: "no-store",
    });
    if (response.status === 401 || response.status === 403) {
      let message = response.status === 401 ? "The admin token was refused." : "The admin API is disabled on this node.";
      try {
        const body = await response.json();
        if (body && body.error && body.error.message) message = body.error.message;
      } catch (ignored) { /* keep the default */ }
      throw new AuthError(message);
    }
    if (!response.ok) {
      let message = response.status + " " + response.statusText;
      try {
        const body = await response.json();
        if (body && body.error && body.error.message) message = body.error.message;
      } catch (ignored) { /* keep the status */ }
      throw new Error(message);
    }
    return response.json();
  }

  // ---- sign in and out ------------------------------------------------------------------------------

  function showLogin(message) {
    stop();
    $("app").hidden = true;
    $("summary").hidden = true;
    $("signout").hidden = true;
    $("login").hidden = false;
    const error = $("login-error");
    error.hidden = !message;
    error.textContent = message || "";
    setConn("idle", "not connected");
    $("token").focus();
  }

  function showApp() {
    $("login").hidden = true;
    $("app").hidden = false;
    $("summary").hidden = false;
    $("signout").hidden = false;
    $("origin").textContent = location.origin;
  }

  function start() {
    stop();
    showApp();
    poll();
    timer = setInterval(poll, POLL_MS);
  }

  function stop() {
    if (timer) clearInterval(timer);
    timer = null;
  }

  function setConn(kind, text) {
    const c = $("conn");
    c.className = "conn " + kind;
    $("conn-text").textContent = text;
  }

  // ---- polling --------------------------------------------------------------------------------------

  async function poll() {
    if (inFlight) return;
    inFlight = true;
    try {
      const [cluster, keys, models, buckets] = await Promise.all([api("/admin/api/cluster"), api("/admin/api/keys"),
        api("/admin/api/models"), api("/admin/api/buckets")]);
      lastFetchLocal = Date.now();
      lastServerNow = keys.now;
      lastKeys = keys;
      if (Date.now() - historyFetched >= HISTORY_POLL_MS) {
        history = await api("/admin/api/history");
        historyFetched = Date.now();
        history.providers.forEach(colourOf);
      }
      renderSummary(cluster, keys);
      renderMembers(cluster);
      renderModels(models);
      renderKeys($("keys"), keys.keys, false);
      $("buckets-panel").hidden = buckets.buckets.length === 0;
      renderBuckets($("buckets"), buckets.buckets);
      $("clients-panel").hidden = keys.clientKeys.length === 0;
      renderKeys($("clients"), keys.clientKeys, true);
      renderCharts();
      if (Date.now() - budgetsFetched >= BUDGETS_POLL_MS) {
        budgetsFetched = Date.now();
        renderBudgets(await api("/admin/api/budgets"));
      }
      if (Date.now() - usageFetched >= USAGE_POLL_MS) {
        usageFetched = Date.now();
        try {
          await refreshUsage();
        } catch (e) {
          if (e instanceof AuthError) throw e;
          const alarm = $("usage-alarm");
          alarm.textContent = "The usage sums could not be read: " + e.message;
          alarm.hidden = false;
        }
      }
      setConn("live", "live · " + new Date().toLocaleTimeString());
    } catch (e) {
      if (e instanceof AuthError) {
        sessionStorage.removeItem(TOKEN_KEY);
        token = null;
        showLogin(e.message);
      } else {
        setConn("down", "no answer, retrying (" + e.message + ")");
      }
    } finally {
      inFlight = false;
    }
  }

  // ---- summary, members, models ---------------------------------------------------------------------

  function renderSummary(cluster, keys) {
    $("sum-cluster").textContent = cluster.cluster;
    $("sum-members").textContent = cluster.size;
    $("sum-rate").textContent = fmt.rate(cluster.totals.requestsPerSecond);
    $("sum-inflight").textContent = fmt.int(cluster.totals.inFlight);
    const usable = keys.keys.filter((k) => k.state === "active" || k.state === "probing").length;
    $("sum-keys").textContent = usable + " / " + keys.keys.length;
  }

  function renderMembers(cluster) {
    const body = $("members").tBodies[0];
    body.replaceChildren(...cluster.members.map((m) => el("tr",
      { "data-member": m.id, "data-proven": String(m.proven), class: m.proven ? "" : "unproven" },
      el("td", null, m.self ? el("span", { class: "self-mark", title: "the node this page talks to", text: "●" }) : ""),
      el("td", { class: "mono", title: m.id, text: m.id.slice(0, 8) },
        m.proven ? "" : el("span", { class: "pill unproven", title: "shows no proof of the cluster key: not a"
          + " Crossbar node of this cluster", text: "unproven" })),
      el("td", { class: "mono", text: m.address }),
      el("td", { class: "mono", text: m.reporting ? m.http : "no report yet" }),
      el("td", { text: m.version || "" }),
      el("td", { class: "r", text: m.reporting ? fmt.duration(m.uptimeSeconds) : "" }),
      el("td", { class: "r", text: m.reporting ? fmt.rate(m.requestsPerSecond) : "" }),
      el("td", { class: "r", text: m.reporting ? fmt.int(m.inFlight) : "" }))));
    const unproven = cluster.trust ? cluster.trust.unprovenMembers : 0;
    $("members-note").textContent = cluster.size + (cluster.size === 1 ? " member" : " members")
      + (unproven ? ", " + unproven + " unproven" : "");
    const alarm = $("unproven-alarm");
    alarm.hidden = unproven === 0;
    alarm.textContent = unproven === 0 ? "" : unproven + (unproven === 1 ? " member shows" : " members show")
      + " no proof of the cluster key: it is not one of this cluster's nodes. "
      + (cluster.trust.unprovenPolicy === "refuse"
        ? "Nodes report not ready until it is gone." : "Nodes keep serving (unprovenMembers: warn).");
  }

  function renderModels(models) {
    const body = $("models").tBodies[0];
    body.replaceChildren(...models.models.map((m) => el("tr", { "data-model": m.name },
      el("td", null, el("span", { class: "keyname", text: m.name }),
        m.aliases.length ? el("span", { class: "fp", text: "alias " + m.aliases.join(", ") }) : null),
      el("td", null, el("span", { class: "pill " + m.health, text: m.health })),
      el("td", { class: "wrap" }, ...m.targets.map((t, i) => el("div", { class: "small" },
        el("span", { class: "pill " + t.health, text: t.keysUsable + "/" + t.keysTotal }), " ",
        el("span", { class: "mono", text: t.provider + " · " + t.model }),
        i === 0 && m.targets.length > 1 ? el("span", { class: "muted", text: " (preferred)" }) : null,
        t.priced ? null : el("span", { class: "pill unpriced", "data-unpriced": t.provider + "/" + t.model,
          title: "no price: its requests' cost is unknown, not zero; set one in the config (prices) or PUT "
            + "/admin/api/prices/" + t.provider + "/" + encodeURIComponent(t.model), text: "no price" })))))));
    const unpriced = models.models.reduce((n, m) => n + m.targets.filter((t) => !t.priced).length, 0);
    const note = $("models-note");
    note.textContent = unpriced ? unpriced + (unpriced === 1 ? " target has" : " targets have") + " no price"
      : "usable keys per target";
    note.className = unpriced ? "small warn-text" : "muted small";
  }

  // ---- keys -----------------------------------------------------------------------------------------

  function meter(dimension, unit) {
    if (!dimension || !dimension.limit) {
      return el("div", { class: "meter unlimited" }, el("div", { class: "track" }),
        el("span", { class: "pct", text: "∞" }),
        el("span", { class: "of", text: dimension ? fmt.compact(dimension.used) + " " + unit + ", no limit" : "" }));
    }
    const ratio = Math.max(0, Math.min(1, dimension.ratio || 0));
    const fill = el("div", { class: "fill" + (ratio >= 0.9 ? " high" : ratio >= 0.7 ? " mid" : "") });
    fill.style.width = (ratio * 100).toFixed(1) + "%";
    return el("div", { class: "meter" }, el("div", { class: "track" }, fill),
      el("span", { class: "pct", text: fmt.pct(ratio) }),
      el("span", { class: "of", text: fmt.compact(dimension.used) + " / " + fmt.compact(dimension.limit) + " " + unit }));
  }

  function stateCell(k) {
    const pill = el("span", { class: "pill " + k.state, text: k.state.replace("_", " ") });
    const cell = el("td", { class: "state" }, pill);
    if (k.state === "cooling_down" && k.until) {
      const countdown = el("span", { class: "countdown", "data-until": String(k.until) });
      pill.append(" ", countdown);
      updateCountdown(countdown);
    }
    if (k.reason) cell.append(el("span", { class: "reason", title: k.reason, text: k.reason }));
    return cell;
  }

  function updateCountdown(span) {
    const until = Number(span.dataset.until);
    const serverNow = lastServerNow + (Date.now() - lastFetchLocal);
    span.textContent = fmt.duration(Math.ceil((until - serverNow) / 1000));
  }

  function renderKeys(table, keys, clients) {
    const body = table.tBodies[0];
    body.replaceChildren(...keys.map((k) => {
      const s = k.stats || {};
      const errorRate = s.errorRate === undefined ? null : s.errorRate;
      const action = k.state === "disabled"
        ? el("button", { class: "small", type: "button", "data-action": "enable", "data-id": k.id, text: "Enable" })
        : el("button", { class: "small danger", type: "button", "data-action": "disable", "data-id": k.id, text: "Disable" });
      return el("tr", { "data-key": k.id, "data-state": k.state, class: k.state === "disabled" ? "off" : null },
        el("td", null, el("span", { class: "keyname", text: clients ? k.id.replace(/^client:/, "") : k.id }),
          clients ? null : el("span", { class: "fp mono", text: k.fingerprint })),
        el("td", { text: clients ? "" : k.provider }),
        stateCell(k),
        el("td", null, meter(k.use && k.use.requests, "req")),
        el("td", null, meter(k.use && k.use.tokens, "tok")),
        el("td", null, meter(k.use && k.use.concurrent, "in flight")),
        el("td", { class: "r", text: k.headroom === undefined ? "-" : fmt.pct(k.headroom) }),
        el("td", { class: "r", text: fmt.int(s.successes) }),
        el("td", { class: "r", text: fmt.int(s.failures) }),
        el("td", { class: "r", text: fmt.int(s.rateLimited) }),
        el("td", { class: "r", text: errorRate === null ? "-" : (errorRate * 100).toFixed(1) + "%" }),
        el("td", { class: "r", text: fmt.ms(s.meanLatencyMillis) }),
        el("td", null, el("span", { class: "nodes" }, ...(k.nodes || []).map((n) =>
          el("span", { class: "node", title: n, text: n.slice(0, 4) })))),
        el("td", { class: "r" }, action));
    }));
    const note = table.id === "keys" ? $("keys-note") : null;
    if (note) {
      const blocked = keys.filter((k) => k.state === "disabled" || k.state === "cooling_down").length;
      note.textContent = keys.length + " keys" + (blocked ? ", " + blocked + " out of rotation" : "");
    }
  }

  function renderBuckets(table, buckets) {
    table.tBodies[0].replaceChildren(...buckets.map((b) => {
      const p = b.providerFigures;
      const left = !p ? "-" : [p.requestsRemaining === undefined ? null : fmt.compact(p.requestsRemaining) + " req",
        p.tokensRemaining === undefined ? null : fmt.compact(p.tokensRemaining) + " tok"].filter((x) => x).join(", ");
      const name = b.bucket + (b.model ? " / " + b.model : "") + (b.counts === "total" ? "" : " (" + b.counts + ")");
      return el("tr", { "data-bucket": b.id },
        el("td", null, el("span", { class: "keyname", text: name })),
        el("td", { text: b.provider }),
        el("td", { text: b.window }),
        el("td", { text: (b.keys || []).join(", ") }),
        el("td", null, meter(b.use && b.use.requests, "req")),
        el("td", null, meter(b.use && b.use.tokens, "tok")),
        el("td", { class: "r", text: left || "-" }));
    }));
  }

  async function keyAction(id, action) {
    if (action === "disable" && !confirm("Disable key " + id + " on every node?")) return;
    try {
      await api("/admin/api/keys/" + encodeURIComponent(id) + "/" + action, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: action === "disable" ? JSON.stringify({ reason: "disabled from the dashboard" }) : "{}",
      });
      poll();
    } catch (e) {
      if (e instanceof AuthError) showLogin(e.message);
      else alert("Could not " + action + " " + id + ": " + e.message);
    }
  }

  // ---- charts -------------------------------------------------------------------------------------

  function colourOf(provider) {
    if (!providerColours.has(provider)) providerColours.set(provider, PALETTE[providerColours.size % PALETTE.length]);
    return providerColours.get(provider);
  }

  /** Per-minute rates per provider from the node's history: Map provider -> [{t, v}]. */
  function series(field) {
    const out = new Map();
    if (!history) return out;
    for (const p of history.providers) out.set(p, []);
    for (const point of history.points) {
      for (const p of history.providers) out.get(p).push({ t: point.t, v: point[field][p] || 0 });
    }
    return out;
  }

  function niceMax(v) {
    if (v <= 0) return 1;
    const exp = Math.pow(10, Math.floor(Math.log10(v)));
    const f = v / exp;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * exp;
  }

  function drawChart(canvas, legend, data) {
    const dpr = window.devicePixelRatio || 1;
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    if (width === 0) return;
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    const g = canvas.getContext("2d");
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, width, height);
    const css = getComputedStyle(document.documentElement);
    const gridColour = css.getPropertyValue("--grid").trim();
    const textColour = css.getPropertyValue("--muted").trim();
    const left = 46, right = 8, top = 8, bottom = 20;
    const w = width - left - right, h = height - top - bottom;
    // The server's clock: the points carry its times.
    const now = history ? history.now + (Date.now() - historyFetched) : Date.now();
    let first = now;
    for (const points of data.values()) if (points.length) first = Math.min(first, points[0].t);
    const span = Math.min(HISTORY_MS, Math.max(MIN_WINDOW_MS, now - first));
    const from = now - span;
    let max = 0;
    for (const points of data.values()) for (const p of points) if (p.t >= from) max = Math.max(max, p.v);
    max = niceMax(max * 1.1);
    g.font = "11px system-ui, sans-serif";
    g.fillStyle = textColour;
    g.strokeStyle = gridColour;
    g.lineWidth = 1;
    g.textAlign = "right";
    g.textBaseline = "middle";
    for (let i = 0; i <= 4; i++) {
      const y = Math.round(top + h - (h * i) / 4) + 0.5;
      g.beginPath();
      g.moveTo(left, y);
      g.lineTo(left + w, y);
      g.stroke();
      g.fillText(fmt.compact((max * i) / 4), left - 6, y);
    }
    g.textAlign = "center";
    g.textBaseline = "top";
    const minutes = span / 60000;
    const tick = minutes > 10 ? 5 : minutes > 4 ? 2 : minutes > 2 ? 1 : 0.5;
    for (let m = 0; m <= minutes + 1e-9; m += tick) {
      const x = left + w - (w * m) / minutes;
      const label = m === 0 ? "now" : "-" + (m < 1 ? m * 60 + "s" : m + "m");
      g.fillText(label, Math.min(Math.max(x, left + 12), left + w - 12), top + h + 5);
    }
    g.lineWidth = 1.6;
    g.lineJoin = "round";
    for (const [provider, points] of data) {
      g.strokeStyle = colourOf(provider);
      g.fillStyle = colourOf(provider);
      g.beginPath();
      let drawn = 0, lastX = 0, lastY = 0;
      for (const p of points) {
        if (p.t < from) continue;
        lastX = left + ((p.t - from) / span) * w;
        lastY = top + h - (p.v / max) * h;
        if (drawn++ === 0) g.moveTo(lastX, lastY); else g.lineTo(lastX, lastY);
      }
      g.stroke();
      if (drawn === 1) {
        // A lone point (a node that just started) would draw nothing as a line.
        g.beginPath();
        g.arc(lastX, lastY, 2.5, 0, 2 * Math.PI);
        g.fill();
      }
    }
    legend.replaceChildren(...[...data.keys()].map((p) => {
      const points = data.get(p);
      const last = points.length ? points[points.length - 1].v : 0;
      const item = el("span", { "data-provider": p, text: p + "  " + fmt.compact(last) + "/min" });
      item.style.setProperty("--swatch", colourOf(p));
      return item;
    }));
  }

  function renderCharts() {
    drawChart($("chart-requests"), $("legend-requests"), series("requests"));
    drawChart($("chart-tokens"), $("legend-tokens"), series("tokens"));
  }

  // ---- budgets ---------------------------------------------------------------------------------------

  function money(v) {
    if (v === null || v === undefined) return "-";
    const a = Math.abs(v);
    if (a === 0) return "$0";
    if (a >= 1) return "$" + v.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    return "$" + Number(v.toPrecision(3)).toString();
  }

  function renderBudgets(answer) {
    const budgets = answer.budgets || [];
    $("budgets-panel").hidden = budgets.length === 0;
    const serverNow = lastServerNow + (Date.now() - lastFetchLocal);
    $("budgets").tBodies[0].replaceChildren(...budgets.map((b) => {
      const limit = Number(b.usd), spent = Number(b.spent), reserved = Number(b.reserved), left = Number(b.remaining);
      const spentShare = limit > 0 ? Math.min(1, spent / limit) : 1;
      const reservedShare = limit > 0 ? Math.min(1 - spentShare, reserved / limit) : 0;
      const used = spentShare + reservedShare;
      const spentBar = el("div", { class: "spent" + (used >= 0.9 ? " high" : used >= 0.7 ? " mid" : ""),
        title: money(spent) + " spent" });
      spentBar.style.width = (spentShare * 100).toFixed(2) + "%";
      const reservedBar = el("div", { class: "reserved", title: money(reserved) + " reserved by calls running now" });
      reservedBar.style.width = (reservedShare * 100).toFixed(2) + "%";
      const colon = b.subject.indexOf(":");
      const kind = b.subject.slice(0, colon) === "team" ? "team" : "client key";
      const resets = Date.parse(b.resetsAt);
      return el("tr", { "data-subject": b.subject, "data-limit": String(b.usd), "data-spent": String(b.spent),
        "data-reserved": String(b.reserved), "data-left": String(b.remaining), "data-period": b.period,
        "data-resets": b.resetsAt },
        el("td", null, el("span", { class: "kind", text: kind }), el("span", { class: "keyname", text: b.subject.slice(colon + 1) })),
        el("td", null, el("div", { class: "budget-bar" }, el("div", { class: "track" }, spentBar, reservedBar),
          el("span", { class: "pct", text: fmt.pct(used) }))),
        el("td", { class: "r", text: money(limit) }),
        el("td", { class: "r", "data-field": "spent", text: money(spent) }),
        el("td", { class: "r", "data-field": "reserved", text: money(reserved) }),
        el("td", { class: "r", "data-field": "left", text: money(left) }),
        el("td", { text: "per " + b.period + " (UTC)" }),
        el("td", { title: b.resetsAt, text: "in " + fmt.duration((resets - serverNow) / 1000) }));
    }));
    const o = answer.overruns || { calls: 0 };
    $("budgets-note").textContent = o.calls > 0
      ? o.calls + " calls on this node cost more than they reserved, " + money(Number(o.usd)) + " in all"
      : "spend of the current period against each limit, cluster-wide";
  }

  // ---- spend, from the usage database ----------------------------------------------------------------

  async function refreshUsage() {
    const status = await api("/admin/api/usage/status");
    $("spend-panel").hidden = !status.database;
    if (!status.database) return;
    const alarm = $("usage-alarm");
    if (status.dropped > 0) {
      alarm.textContent = status.dropped + " usage records were dropped on this node: the database was away longer"
        + " than the buffer (" + status.capacity + " records) could hold.";
    } else if (!status.ready || status.buffered >= status.capacity / 2) {
      alarm.textContent = "The usage database is not taking records: " + status.buffered + " of " + status.capacity
        + " wait in the buffer.";
    }
    alarm.hidden = !(status.dropped > 0 || !status.ready || status.buffered >= status.capacity / 2);
    alarm.dataset.dropped = String(status.dropped || 0);
    if (!status.ready) return;
    const from = new Date(Date.now() - (USAGE_DAYS - 1) * 86400000).toISOString().slice(0, 10);
    const [byTeam, byModel] = await Promise.all([
      api("/admin/api/usage?period=day&groupBy=team&from=" + from),
      api("/admin/api/usage?groupBy=model&from=" + from)]);
    usage = { byTeam, byModel, from };
    renderUsage();
  }

  function renderUsage() {
    if (!usage) return;
    const days = [];
    for (let i = 0; i < USAGE_DAYS; i++) {
      days.push(new Date(Date.parse(usage.from + "T00:00:00Z") + i * 86400000).toISOString().slice(0, 10));
    }
    const teams = new Map();
    for (const row of usage.byTeam.rows) {
      const team = row.group.team || "(no team)";
      if (!teams.has(team)) teams.set(team, new Array(days.length).fill(0));
      const i = days.indexOf(row.period.slice(0, 10));
      if (i >= 0) teams.get(team)[i] += Number(row.costUsd);
    }
    const stacks = days.map((d, i) => ({
      label: d.slice(5),
      parts: [...teams.entries()].map(([team, values]) => ({ name: team, v: values[i] })),
    }));
    drawBars($("chart-spend"), stacks, (v) => "$" + fmtDollars(v));
    $("legend-spend").replaceChildren(...[...teams.entries()].map(([team, values]) => {
      const item = el("span", { "data-team": team, text: team + "  $" + fmtDollars(values.reduce((a, b) => a + b, 0)) });
      item.style.setProperty("--swatch", colourOf(team));
      return item;
    }));
    const models = usage.byModel.rows.map((row) => ({
      label: row.group.model || "-",
      parts: [
        { name: "input", v: row.inputTokens - row.cacheReadTokens },
        { name: "cached input", v: row.cacheReadTokens },
        { name: "output", v: row.outputTokens },
      ],
    }));
    drawBars($("chart-model-tokens"), models, fmt.compact);
    $("legend-model-tokens").replaceChildren(...["input", "cached input", "output"].map((kind) => {
      const item = el("span", { text: kind });
      item.style.setProperty("--swatch", colourOf(kind));
      return item;
    }));
    $("chart-model-tokens").dataset.models = String(models.length);
  }

  function fmtDollars(v) {
    return v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(2) : v.toPrecision(2);
  }

  // Stacked bars, one per item ({label, parts: [{name, v}]}), each part in its name's colour.
  function drawBars(canvas, items, format) {
    const dpr = window.devicePixelRatio || 1;
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    if (width === 0) return;
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    const g = canvas.getContext("2d");
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, width, height);
    const css = getComputedStyle(document.documentElement);
    const left = 56, right = 8, top = 8, bottom = 20;
    const w = width - left - right, h = height - top - bottom;
    let max = 0;
    for (const item of items) max = Math.max(max, item.parts.reduce((a, p) => a + p.v, 0));
    max = niceMax(max * 1.1);
    g.font = "11px system-ui, sans-serif";
    g.fillStyle = css.getPropertyValue("--muted").trim();
    g.strokeStyle = css.getPropertyValue("--grid").trim();
    g.textAlign = "right";
    g.textBaseline = "middle";
    for (let i = 0; i <= 4; i++) {
      const y = Math.round(top + h - (h * i) / 4) + 0.5;
      g.beginPath();
      g.moveTo(left, y);
      g.lineTo(left + w, y);
      g.stroke();
      g.fillText(format((max * i) / 4), left - 6, y);
    }
    if (!items.length) return;
    const slot = w / items.length;
    const bar = Math.max(2, Math.min(40, slot * 0.7));
    g.textAlign = "center";
    g.textBaseline = "top";
    items.forEach((item, i) => {
      const x = left + slot * i + (slot - bar) / 2;
      let y = top + h;
      for (const part of item.parts) {
        const ph = (part.v / max) * h;
        g.fillStyle = colourOf(part.name);
        g.fillRect(x, y - ph, bar, ph);
        y -= ph;
      }
      g.fillStyle = css.getPropertyValue("--muted").trim();
      const every = Math.ceil(items.length / Math.max(1, Math.floor(w / 48)));
      if (i % every === 0) g.fillText(item.label, x + bar / 2, top + h + 5);
    });
  }

  // ---- wiring ---------------------------------------------------------------------------------------

  document.addEventListener("DOMContentLoaded", () => {
    $("login-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const value = $("token").value.trim();
      if (!value) return;
      token = value;
      sessionStorage.setItem(TOKEN_KEY, token);
      $("token").value = "";
      start();
    });
    $("signout").addEventListener("click", () => {
      sessionStorage.removeItem(TOKEN_KEY);
      token = null;
      showLogin("");
    });
    $("theme").addEventListener("click", () => {
      const next = document.documentElement.dataset.theme === "light" ? "dark" : "light";
      localStorage.setItem(THEME_KEY, next);
      applyTheme(next);
      if (lastKeys) renderCharts();
      renderUsage();
    });
    document.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-action]");
      if (button) keyAction(button.dataset.id, button.dataset.action);
    });
    window.addEventListener("resize", () => { if (lastKeys) renderCharts(); renderUsage(); });
    setInterval(() => document.querySelectorAll(".countdown").forEach(updateCountdown), 250);
    if (token) start(); else showLogin("");
  });
})();
