// Rematch Coach's Mini App: the program table and the plan's timeline. No framework, no CDN.
// Telegram hands the page its signed launch data (initData) and theme in the URL fragment
// (#tgWebAppData=...&tgWebAppThemeParams=...); every API call sends the launch data back in
// the Authorization header, and the server checks it.
"use strict";

(function () {
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  const tg = window.Telegram && window.Telegram.WebApp;
  const initData = (tg && tg.initData) || fragment.get("tgWebAppData") || "";

  // ------------------------------------------------------------ theme

  function applyTheme() {
    let theme = tg && tg.themeParams;
    if (!theme) {
      try {
        theme = JSON.parse(fragment.get("tgWebAppThemeParams") || "{}");
      } catch (_) {
        theme = {};
      }
    }
    for (const [key, value] of Object.entries(theme || {})) {
      if (typeof value === "string" && /^#[0-9a-fA-F]{3,8}$/.test(value)) {
        document.documentElement.style.setProperty("--tg-theme-" + key.replace(/_/g, "-"), value);
      }
    }
  }

  // ------------------------------------------------------------ talking to the bot

  async function api(path, options) {
    const response = await fetch(path, {
      ...(options || {}),
      headers: { Authorization: "tma " + initData, "Content-Type": "application/json" },
    });
    let body = {};
    try {
      body = await response.json();
    } catch (_) {
      body = { ok: false, error: "The bot answered something I can't read." };
    }
    if (!response.ok || !body.ok) {
      const error = new Error(body.error || "Something went wrong; nothing was changed.");
      error.status = response.status;
      throw error;
    }
    return body;
  }

  let messageTimer = null;
  function say(text, isError) {
    const box = document.getElementById("message");
    box.textContent = text;
    box.classList.toggle("error", Boolean(isError));
    box.hidden = false;
    clearTimeout(messageTimer);
    messageTimer = setTimeout(() => { box.hidden = true; }, isError ? 6000 : 2000);
  }

  // Crisis words in a note: the caring reply and the crisis lines stay on screen until closed.
  function care(text) {
    const box = document.getElementById("care");
    box.querySelector("p").textContent = text;
    box.hidden = false;
    const close = box.querySelector("button");
    close.onclick = () => { box.hidden = true; };
    close.focus();
  }

  // ------------------------------------------------------------ the program table

  const TIER_ORDER = { green: 0, yellow: 1, red: 2, "": 3 };
  const STATUS_ORDER = { considering: 0, applied: 1, interview: 2, rejected: 3 };
  const state = { programs: [], tiers: {}, statuses: {}, sort: "tier", dir: 1 };

  function compare(a, b) {
    const key = state.sort;
    let x, y;
    if (key === "tier") { x = TIER_ORDER[a.tier]; y = TIER_ORDER[b.tier]; }
    else if (key === "status") { x = STATUS_ORDER[a.status]; y = STATUS_ORDER[b.status]; }
    else if (key === "state") { x = (a.state || "~") + a.region; y = (b.state || "~") + b.region; }
    else { x = String(a[key] || "").toLowerCase(); y = String(b[key] || "").toLowerCase(); }
    if (x < y) return -state.dir;
    if (x > y) return state.dir;
    return a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1;
  }

  function shown() {
    const words = document.getElementById("filter-text").value.trim().toLowerCase();
    const tier = document.getElementById("filter-tier").value;
    return state.programs
      .filter((p) => !tier || (tier === "none" ? !p.tier : p.tier === tier))
      .filter((p) => !words || [p.name, p.city, p.state, p.region, p.notes]
        .join(" ").toLowerCase().includes(words))
      .sort(compare);
  }

  function select(options, value, label, onChange) {
    const el = document.createElement("select");
    el.setAttribute("aria-label", label);
    for (const [key, text] of options) {
      const option = document.createElement("option");
      option.value = key;
      option.textContent = text;
      el.appendChild(option);
    }
    el.value = value;
    el.addEventListener("change", () => onChange(el));
    return el;
  }

  function row(p) {
    const tr = document.createElement("tr");
    tr.dataset.key = p.key;

    const name = document.createElement("td");
    name.className = "name-cell";
    const strong = document.createElement("div");
    strong.className = "name";
    strong.textContent = p.name;
    name.appendChild(strong);
    if (p.city) {
      const city = document.createElement("div");
      city.className = "city";
      city.textContent = p.city;
      name.appendChild(city);
    }

    const where = document.createElement("td");
    where.className = "where";
    where.textContent = [p.state, p.region].filter(Boolean).join(" · ") || "–";

    const tierOptions = Object.entries(state.tiers).map(([k]) => [k, k[0].toUpperCase() + k.slice(1)]);
    if (!p.tier) tierOptions.unshift(["", "Not set"]);
    const tier = document.createElement("td");
    tier.className = "tier-cell";
    const tierSelect = select(tierOptions, p.tier, "Tier of " + p.name, (el) => save(p, { tier: el.value }, el));
    tierSelect.name = "tier";
    tierSelect.className = p.tier ? "tier-" + p.tier : "";
    tier.appendChild(tierSelect);

    const status = document.createElement("td");
    status.className = "status-cell";
    const statusSelect = select(
      Object.entries(state.statuses).map(([k, v]) => [k, v[0].toUpperCase() + v.slice(1)]),
      p.status, "Status of " + p.name, (el) => save(p, { status: el.value }, el));
    statusSelect.name = "status";
    status.appendChild(statusSelect);

    const notes = document.createElement("td");
    notes.className = "notes-cell";
    const input = document.createElement("input");
    input.type = "text";
    input.name = "notes";
    input.className = "notes";
    input.maxLength = 500;
    input.value = p.notes;
    input.placeholder = "Add a note";
    input.setAttribute("aria-label", "Notes on " + p.name);
    const commit = () => { if (input.value !== p.notes) save(p, { notes: input.value }, input); };
    input.addEventListener("blur", commit);
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") { event.preventDefault(); input.blur(); }
      if (event.key === "Escape") { input.value = p.notes; input.blur(); }
    });
    notes.appendChild(input);

    tr.append(name, where, tier, status, notes);
    return tr;
  }

  function renderTable() {
    const body = document.querySelector("#program-table tbody");
    const rows = shown();
    body.replaceChildren(...rows.map(row));
    const all = state.programs.length;
    document.getElementById("count").textContent =
      rows.length === all ? `${all} program${all === 1 ? "" : "s"}` : `${rows.length} of ${all} programs`;
    document.getElementById("empty").hidden = all > 0;
    for (const th of document.querySelectorAll("#program-table th")) {
      th.setAttribute("aria-sort", th.dataset.sort !== state.sort ? "none"
        : state.dir > 0 ? "ascending" : "descending");
    }
  }

  async function save(p, change, control) {
    const tr = control.closest("tr");
    tr.classList.add("saving");
    try {
      const body = await api("api/programs/" + encodeURIComponent(p.key), {
        method: "POST",
        body: JSON.stringify(change),
      });
      Object.assign(p, body.program);
      if (body.care) {
        care(body.care);
      } else {
        say(body.changed ? "Saved ✓ (the chat's /programs shows it too)" : "Already saved ✓");
      }
    } catch (error) {
      say(error.message, true);
    }
    tr.classList.remove("saving");
    // Only this row is drawn again: where the user is typing next keeps its focus.
    tr.replaceWith(row(p));
  }

  async function loadPrograms() {
    const body = await api("api/programs");
    state.programs = body.programs;
    state.tiers = body.tiers;
    state.statuses = body.statuses;
    renderTable();
  }

  // ------------------------------------------------------------ the plan

  function day(iso) {
    const d = new Date(iso + "T00:00:00");
    return d.toLocaleDateString(undefined, { day: "numeric", month: "short", year: "numeric" });
  }

  function deadlines(list, items) {
    list.replaceChildren(...items.map((m) => {
      const li = document.createElement("li");
      const due = document.createElement("span");
      due.className = "due";
      due.textContent = day(m.due);
      const title = document.createElement("span");
      title.textContent = m.title + (m.estimate ? " (est.)" : "");
      li.append(due, title);
      return li;
    }));
  }

  function renderPlan(plan) {
    document.getElementById("plan-title").textContent = `Month ${plan.month} of 12`;
    document.getElementById("plan-sub").textContent =
      `Aiming at the ${plan.season} Match · ${day(plan.start)} to ${day(plan.end)}`;
    const start = Date.parse(plan.start), end = Date.parse(plan.end);
    const at = (iso) => Math.min(100, Math.max(0, (Date.parse(iso) - start) / (end - start) * 100));
    const timeline = document.getElementById("timeline");
    const here = document.createElement("div");
    here.className = "here";
    const today = at(plan.today);
    here.style.left = today + "%";
    const label = document.createElement("span");
    label.textContent = "You are here";
    // Kept on screen near either end of the line.
    label.className = today < 20 ? "start" : today > 80 ? "end" : "";
    here.appendChild(label);
    const short = (iso) => new Date(iso + "T00:00:00")
      .toLocaleDateString(undefined, { day: "numeric", month: "short" });
    const phases = plan.phases.map((p) => {
      const div = document.createElement("div");
      div.className = "phase" + (p.now ? " now" : "");
      div.dataset.key = p.key;
      const head = document.createElement("div");
      head.className = "phase-head";
      const text = document.createElement("span");
      text.className = "label";
      text.textContent = p.title;
      const dates = document.createElement("span");
      dates.className = "dates";
      dates.textContent = `${short(p.start)} – ${short(p.end)}`;
      head.append(text, dates);
      const track = document.createElement("div");
      track.className = "track";
      track.title = p.purpose;
      const bar = document.createElement("div");
      bar.className = "bar";
      bar.style.left = at(p.start) + "%";
      bar.style.width = Math.max(2, at(p.end) - at(p.start)) + "%";
      track.appendChild(bar);
      div.append(head, track);
      return div;
    });
    timeline.replaceChildren(here, ...phases);
    deadlines(document.getElementById("plan-next"), plan.next);
    if (!plan.next.length) document.getElementById("plan-next").textContent = "None left in this plan.";
    deadlines(document.getElementById("plan-late"), plan.late);
    document.getElementById("plan-late-box").hidden = plan.late.length === 0;
    document.getElementById("plan-done").textContent =
      plan.done.length ? `Done so far: ${plan.done.length} step${plan.done.length === 1 ? "" : "s"} ✓` : "";
  }

  let planLoaded = false;
  async function loadPlan() {
    const body = await api("api/plan");
    if (!body.plan) {
      document.getElementById("plan-title").textContent = "No plan yet";
      document.getElementById("plan-sub").textContent = body.why;
      return;
    }
    renderPlan(body.plan);
    planLoaded = true;
  }

  // ------------------------------------------------------------ tabs and start

  function show(tab) {
    for (const button of document.querySelectorAll(".tabs button")) {
      button.setAttribute("aria-selected", String(button.dataset.tab === tab));
    }
    for (const panel of document.querySelectorAll("[data-panel]")) {
      panel.hidden = panel.dataset.panel !== tab;
    }
    if (tab === "plan" && !planLoaded) loadPlan().catch((e) => say(e.message, true));
  }

  function start() {
    applyTheme();
    if (tg && tg.ready) tg.ready();
    for (const button of document.querySelectorAll(".tabs button")) {
      button.addEventListener("click", () => show(button.dataset.tab));
    }
    for (const th of document.querySelectorAll("#program-table th")) {
      th.querySelector("button").addEventListener("click", () => {
        state.dir = state.sort === th.dataset.sort ? -state.dir : 1;
        state.sort = th.dataset.sort;
        renderTable();
      });
    }
    document.getElementById("filter-text").addEventListener("input", renderTable);
    document.getElementById("filter-tier").addEventListener("change", renderTable);
    if (!initData) {
      say("Open this page from the bot in Telegram (the button under /programs or /plan).", true);
      return;
    }
    const tab = new URLSearchParams(window.location.search).get("tab") === "plan" ? "plan" : "programs";
    show(tab);
    loadPrograms().catch((e) => say(e.message, true));
  }

  start();
})();
