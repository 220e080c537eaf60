/* Event timeline widget: plain modern JS, no dependencies, no network beyond this service's API.
 *
 * Embed:
 *   <div id="timeline"></div>
 *   <script src="http://HOST:5000/widget.js" data-api="http://HOST:5000" data-target="#timeline"></script>
 *
 * data-api     base URL of the service (default: where widget.js came from; "" = same origin)
 * data-target  CSS selector of the element to mount into (default: #timeline)
 * data-query   extra /api/v1/events query, e.g. "actor=hakan-fidan&from=2024-01-01"
 */
(function () {
  "use strict";

  const script = document.currentScript;
  const api = (script.hasAttribute("data-api") ? script.dataset.api : new URL(script.src).origin).replace(/\/$/, "");
  const target = document.querySelector(script.dataset.target || "#timeline");
  const baseQuery = script.dataset.query || "";
  const MAX_PAGES = 10;
  const DAY = 86400000;

  if (!target) {
    console.error("timeline widget: no element matches", script.dataset.target);
    return;
  }
  if (!document.querySelector("link[data-timeline-widget]")) {
    const css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = api + "/static/widget/widget.css";
    css.dataset.timelineWidget = "";
    document.head.appendChild(css);
  }

  // -- small helpers ----------------------------------------------------------------------------

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  const utc = (iso) => Date.parse(iso + "T00:00:00Z");
  const fmt = (options) => new Intl.DateTimeFormat("en-GB", Object.assign({ timeZone: "UTC" }, options));
  const dayFmt = fmt({ day: "numeric", month: "long", year: "numeric" });
  const monthFmt = fmt({ month: "long", year: "numeric" });
  const shortFmt = fmt({ day: "numeric", month: "short" });
  const humanType = (type) => type.replace(/_/g, " ");

  /* The date as precisely as it is known: a month-level date reads "May 2024", never a day. */
  function dateLabel(date) {
    const start = new Date(utc(date.start));
    const end = new Date(utc(date.end));
    switch (date.granularity) {
      case "year":
        return start.getUTCFullYear() === end.getUTCFullYear()
          ? String(start.getUTCFullYear())
          : `${start.getUTCFullYear()}–${end.getUTCFullYear()}`;
      case "month":
      case "season":
        return monthFmt.format(start) === monthFmt.format(end)
          ? monthFmt.format(start)
          : `${monthFmt.format(start)} – ${monthFmt.format(end)}`;
      case "week":
        return `week of ${dayFmt.format(start)}`;
      default:
        return date.start === date.end ? dayFmt.format(start) : `${shortFmt.format(start)} – ${dayFmt.format(end)}`;
    }
  }

  async function getJSON(path) {
    const response = await fetch(api + path, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    return response.json();
  }

  async function loadEvents(params) {
    const events = [];
    let cursor = null;
    for (let page = 0; page < MAX_PAGES; page++) {
      const query = new URLSearchParams(baseQuery);
      for (const [key, value] of params) if (value) query.append(key, value);
      query.set("limit", "500");
      if (cursor) query.set("cursor", cursor);
      const body = await getJSON(`/api/v1/events?${query}`);
      events.push(...body.items);
      cursor = body.next_cursor;
      if (!cursor) break;
    }
    return events;
  }

  // -- layout -----------------------------------------------------------------------------------

  const actorSelect = el("select", { name: "actor", "aria-label": "Actor" }, el("option", { value: "" }, "All actors"));
  const typeSelect = el("select", { name: "type", "aria-label": "Type" }, el("option", { value: "" }, "All types"));
  const fromInput = el("input", { type: "date", name: "from", "aria-label": "From" });
  const toInput = el("input", { type: "date", name: "to", "aria-label": "To" });
  const status = el("span", { class: "tlw-status", role: "status" });
  const form = el(
    "form",
    { class: "tlw-filters", onsubmit: (e) => (e.preventDefault(), refresh()) },
    actorSelect,
    typeSelect,
    el("label", {}, "from ", fromInput),
    el("label", {}, "to ", toInput),
    el("button", { type: "submit" }, "Apply"),
    el("button", { type: "reset", onclick: () => setTimeout(refresh) }, "Reset"),
    status,
  );
  const axis = el("div", { class: "tlw-axis", "aria-hidden": "true" });
  const list = el("ol", { class: "tlw-list" });
  const detail = el("aside", { class: "tlw-detail", hidden: true, "aria-live": "polite" });
  const root = el("div", { class: "tlw" }, form, axis, el("div", { class: "tlw-body" }, list, detail));
  for (const control of [actorSelect, typeSelect, fromInput, toInput]) control.addEventListener("change", refresh);
  target.replaceChildren(root);

  const knownActors = new Map();
  const knownTypes = new Set();

  function rememberChoices(events) {
    for (const event of events) {
      knownTypes.add(event.type);
      for (const actor of event.actors) knownActors.set(actor.id, actor.name);
    }
    fillSelect(typeSelect, [...knownTypes].sort().map((t) => [t, humanType(t)]));
    fillSelect(actorSelect, [...knownActors].sort((a, b) => a[1].localeCompare(b[1])));
  }

  function fillSelect(select, options) {
    const chosen = select.value;
    const present = new Set([...select.options].map((o) => o.value));
    for (const [value, label] of options) {
      if (!present.has(value)) select.append(el("option", { value, dir: "auto" }, label));
    }
    select.value = chosen;
  }

  // -- time axis: day-level events are points, coarser dates are spans over their whole period --

  function drawAxis(events) {
    axis.replaceChildren();
    if (!events.length) return;
    const min = Math.min(...events.map((e) => utc(e.date.start)));
    const max = Math.max(...events.map((e) => utc(e.date.end) + DAY));
    const pad = Math.max((max - min) * 0.03, DAY);
    const lo = min - pad;
    const width = max + pad - lo;
    const pct = (t) => ((t - lo) / width) * 100;

    const track = el("div", { class: "tlw-track" });
    const firstYear = new Date(lo).getUTCFullYear();
    const lastYear = new Date(lo + width).getUTCFullYear();
    const step = Math.max(1, Math.ceil((lastYear - firstYear + 1) / 12));
    for (let year = firstYear; year <= lastYear + 1; year += step) {
      const t = Date.UTC(year, 0, 1);
      if (t >= lo && t <= lo + width) track.append(el("span", { class: "tlw-tick", style: `left:${pct(t)}%` }, year));
    }
    if (lastYear - firstYear < 2) {
      for (let t = Date.UTC(firstYear, 0, 1); t <= lo + width; t = Date.UTC(new Date(t).getUTCFullYear(), new Date(t).getUTCMonth() + 1, 1)) {
        if (t >= lo && new Date(t).getUTCMonth() !== 0) {
          track.append(el("span", { class: "tlw-tick tlw-tick-minor", style: `left:${pct(t)}%` }, fmt({ month: "short" }).format(t)));
        }
      }
    }
    const lanes = [];
    for (const event of events) {
      const start = utc(event.date.start);
      const end = utc(event.date.end) + DAY;
      const point = event.date.granularity === "day" && end - start <= DAY;
      let lane = lanes.findIndex((lastEnd) => lastEnd < pct(start) - 1);
      if (lane === -1) lane = lanes.push(0) - 1;
      lanes[lane] = point ? pct(start) + 1.5 : pct(end);
      const style = point
        ? `left:${pct(start)}%;top:${1.6 + lane * 1.4}em`
        : `left:${pct(start)}%;width:${Math.max(pct(end) - pct(start), 0.6)}%;top:${1.6 + lane * 1.4}em`;
      axis.append(
        el("button", {
          type: "button",
          class: `tlw-marker ${point ? "tlw-point" : "tlw-span"} tlw-type-${event.type}`,
          style,
          title: `${event.title} — ${dateLabel(event.date)}`,
          "data-event-id": event.id,
          "data-granularity": event.date.granularity,
          onclick: () => openEvent(event.id),
        }),
      );
    }
    axis.style.height = `${2.6 + lanes.length * 1.4}em`;
    axis.prepend(track);
  }

  // -- the list of events in date order ---------------------------------------------------------

  function card(event) {
    return el(
      "li",
      {
        class: "tlw-card",
        tabindex: "0",
        "data-event-id": event.id,
        "data-start": event.date.start,
        "data-granularity": event.date.granularity,
        onclick: () => openEvent(event.id),
        onkeydown: (e) => e.key === "Enter" && openEvent(event.id),
      },
      el(
        "div",
        { class: "tlw-when" },
        el("time", { class: "tlw-date", datetime: event.date.start }, dateLabel(event.date)),
        el("span", { class: `tlw-badge tlw-granularity tlw-g-${event.date.granularity}` }, event.date.granularity),
        event.status === "planned" ? el("span", { class: "tlw-badge tlw-planned" }, "planned") : null,
      ),
      el("h3", { class: "tlw-title", dir: "auto" }, event.title),
      el(
        "div",
        { class: "tlw-meta" },
        el("span", { class: `tlw-badge tlw-type tlw-type-${event.type}` }, humanType(event.type)),
        event.actors.map((a) => el("span", { class: `tlw-actor tlw-kind-${a.kind}`, dir: "auto" }, a.name)),
        event.location ? el("span", { class: "tlw-place", dir: "auto" }, "at ", event.location.name) : null,
      ),
    );
  }

  // -- the detail view: every mention, its sentence and the date expression highlighted ---------

  function highlighted(mention) {
    const sentence = mention.sentence;
    if (mention.expression_start === null || mention.expression_start === undefined) return [sentence];
    const from = mention.expression_start - mention.start;
    const to = mention.expression_end - mention.start;
    if (from < 0 || to > sentence.length || from >= to) return [sentence];
    return [sentence.slice(0, from), el("mark", { class: "tlw-expression" }, sentence.slice(from, to)), sentence.slice(to)];
  }

  async function openEvent(id) {
    for (const node of root.querySelectorAll(".tlw-selected")) node.classList.remove("tlw-selected");
    for (const node of root.querySelectorAll(`[data-event-id="${id}"]`)) node.classList.add("tlw-selected");
    let event;
    try {
      event = await getJSON(`/api/v1/events/${id}`);
    } catch (error) {
      status.textContent = String(error.message);
      return;
    }
    detail.replaceChildren(
      el("button", { type: "button", class: "tlw-close", "aria-label": "Close", onclick: () => (detail.hidden = true) }, "×"),
      el("h3", { dir: "auto" }, event.title),
      el("p", { class: "tlw-when" }, dateLabel(event.date), " ", el("span", { class: "tlw-badge tlw-granularity" }, event.date.granularity)),
      el(
        "ol",
        { class: "tlw-mentions" },
        event.mentions.map((mention) =>
          el(
            "li",
            { class: "tlw-mention" },
            el("blockquote", { class: "tlw-sentence", dir: "auto" }, highlighted(mention)),
            el(
              "p",
              { class: "tlw-source" },
              `article ${mention.article_id}, published ${mention.published_at} · trigger `,
              el("q", { dir: "auto" }, mention.trigger),
              ` · date ${mention.resolution}`,
            ),
          ),
        ),
      ),
    );
    detail.hidden = false;
  }

  // -- load -------------------------------------------------------------------------------------

  let generation = 0;
  async function refresh() {
    const mine = ++generation;
    status.textContent = "loading…";
    let events;
    try {
      events = await loadEvents([
        ["actor", actorSelect.value],
        ["type", typeSelect.value],
        ["from", fromInput.value],
        ["to", toInput.value],
      ]);
    } catch (error) {
      if (mine === generation) status.textContent = String(error.message);
      return;
    }
    if (mine !== generation) return; // a newer filter change won
    rememberChoices(events);
    drawAxis(events);
    list.replaceChildren(...events.map(card));
    status.textContent = `${events.length} event${events.length === 1 ? "" : "s"}`;
    root.dataset.ready = "true";
  }

  refresh();
})();
