/* Event timeline widget on vis-timeline (vendored under /static/vendor/vis-timeline): zoom, pan,
 * clustering, lanes, a legend, search and filters; it fetches only the visible window from the API.
 *
 * Embed:
 *   <div id="timeline"></div>
 *   <script src="http://HOST:5000/widget.js" data-api="http://HOST:5000" data-target="#timeline"></script>
 *
 * data-api     base URL of the service (default: where widget.js came from; "" = same origin)
 * data-target  CSS selector of the element to mount into (default: #timeline)
 * data-query   a fixed /api/v1/events filter, e.g. "actor=hakan-fidan&from=2024-01-01"
 * data-lang    "en" or "ar" (default: the URL's lang, else the browser's languages)
 * data-page    "true" on the service's own page: the view lives in the page URL, and the page's
 *              lang/dir and [data-tlw-t] texts follow the widget's language
 */
(function () {
  "use strict";

  const script = document.currentScript;
  const started = performance.now();
  const api = (script.hasAttribute("data-api") ? script.dataset.api : new URL(script.src).origin).replace(/\/$/, "");
  const apiOrigin = new URL(api || location.origin, location.href).origin;
  const staticBase = new URL("static/", script.src).href;
  const target = document.querySelector(script.dataset.target || "#timeline");
  const fixedQuery = new URLSearchParams(script.dataset.query || "");
  const pageMode = script.dataset.page === "true";
  const DAY = 86400000;
  // The window is fetched as slices in parallel (so a dense start cannot hide the rest), each paged
  // up to a cap. Long events overlap many slices, so more are fetched than drawn: vis-timeline lays
  // out every item it is given (about 6 ms each on a slow machine), so at most DRAW_CAP are drawn,
  // the most precise first; a dense window is marked and zooming in shows everything.
  const SLICES = 6;
  const PAGE = 100;
  const PAGES_PER_SLICE = 3;
  const DRAW_CAP = 400;
  const LANE_ACTORS = 12;
  const COARSE = new Set(["week", "month", "season", "year", "unknown"]);
  const STATE_KEYS = ["q", "actor", "type", "from", "to", "lanes", "lang", "start", "end"];

  if (!target) {
    console.error("timeline widget: no element matches", script.dataset.target);
    return;
  }

  // -- assets: stylesheets and scripts from this service, never a CDN ------------------------------

  function stylesheet(href, key) {
    if (document.querySelector(`link[data-tlw-asset="${key}"]`)) return;
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    link.dataset.tlwAsset = key;
    document.head.appendChild(link);
  }

  function loadScript(src, ready) {
    if (ready()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const tag = document.createElement("script");
      tag.src = src;
      tag.onload = () => resolve();
      tag.onerror = () => reject(new Error(`could not load ${src}`));
      document.head.appendChild(tag);
    });
  }

  stylesheet(staticBase + "vendor/vis-timeline/vis-timeline-graph2d.min.css", "vis");
  stylesheet(staticBase + "widget/widget.css", "widget");

  // -- small helpers -------------------------------------------------------------------------------

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

  const escapeHtml = (text) =>
    String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  const utc = (iso) => Date.parse(iso + "T00:00:00Z");
  const isoDay = (ms) => new Date(ms).toISOString().slice(0, 10);
  const debounce = (fn, wait) => {
    let timer;
    return (...args) => {
      clearTimeout(timer);
      timer = setTimeout(() => fn(...args), wait);
    };
  };

  // -- state: filters, lanes, language and the visible window (the permalink) ----------------------

  const pageParams = pageMode ? new URLSearchParams(location.search) : new URLSearchParams();
  const browserLang = (navigator.languages || [navigator.language]).find((l) => /^(ar|en)\b/.test(l)) || "en";
  const state = {
    q: pageParams.get("q") || "",
    actor: pageParams.get("actor") || "",
    type: pageParams.get("type") || "",
    from: pageParams.get("from") || "",
    to: pageParams.get("to") || "",
    lanes: ["type", "actor"].includes(pageParams.get("lanes")) ? pageParams.get("lanes") : "none",
    lang: pageParams.get("lang") || script.dataset.lang || browserLang.slice(0, 2),
    start: pageParams.get("start") || "",
    end: pageParams.get("end") || "",
  };

  let words;
  const t = (key, ...args) => {
    const value = words[key];
    return typeof value === "function" ? value(...args) : value;
  };
  const typeLabel = (type) => words.types[type] || type.replace(/_/g, " ");

  function stateQuery() {
    const query = new URLSearchParams();
    for (const key of STATE_KEYS) {
      if (state[key] && !(key === "lanes" && state[key] === "none")) query.set(key, state[key]);
    }
    return query;
  }

  function writeUrl() {
    const query = stateQuery();
    permalinkAnchor.href = `${api || location.origin}/?${query}`;
    if (pageMode) history.replaceState(null, "", `${location.pathname}${query.size ? "?" + query : ""}`);
  }

  // -- dates as precisely as they are known: a month-level date reads "May 2024", never 1 May -----

  let dayFmt, monthFmt, shortFmt, yearFmt;
  function makeFormats() {
    const fmt = (options) => new Intl.DateTimeFormat(words.locale, Object.assign({ timeZone: "UTC" }, options));
    dayFmt = fmt({ day: "numeric", month: "long", year: "numeric" });
    monthFmt = fmt({ month: "long", year: "numeric" });
    shortFmt = fmt({ day: "numeric", month: "short" });
    yearFmt = fmt({ year: "numeric" });
  }

  function dateLabel(date) {
    const start = new Date(utc(date.start));
    const end = new Date(utc(date.end));
    switch (date.granularity) {
      case "year":
        return yearFmt.format(start) === yearFmt.format(end)
          ? yearFmt.format(start)
          : `${yearFmt.format(start)}–${yearFmt.format(end)}`;
      case "month":
      case "season":
        return monthFmt.format(start) === monthFmt.format(end)
          ? monthFmt.format(start)
          : `${monthFmt.format(start)} – ${monthFmt.format(end)}`;
      case "week":
        return t("weekOf", dayFmt.format(start));
      default:
        return date.start === date.end ? dayFmt.format(start) : `${shortFmt.format(start)} – ${dayFmt.format(end)}`;
    }
  }

  // -- the API -------------------------------------------------------------------------------------

  class CorsError extends Error {}

  async function getJSON(path, params) {
    // Titles and names (of events, actors and places) come in the widget's language.
    const query = new URLSearchParams(params);
    query.set("lang", state.lang);
    const url = `${api}${path}${query.size ? "?" + query : ""}`;
    let response;
    try {
      response = await fetch(url, { headers: { Accept: "application/json" } });
    } catch (error) {
      // A refused CORS check and a dead server look alike; an opaque no-cors request tells them apart.
      const reachable = await fetch(url, { mode: "no-cors" }).then(
        () => true,
        () => false,
      );
      throw reachable && apiOrigin !== location.origin ? new CorsError(t("cors", location.origin, apiOrigin)) : new Error(t("unreachable", apiOrigin));
    }
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      throw new Error(problem.detail || problem.title || `${path}: HTTP ${response.status}`);
    }
    return response.json();
  }

  /* The fixed embed query plus the reader's filters, as /api/v1/events parameters. */
  function filterParams() {
    const query = new URLSearchParams(fixedQuery);
    for (const key of ["q", "actor", "type"]) if (state[key]) query.append(key, state[key]);
    if (state.from) query.set("from", state.from);
    if (state.to) query.set("to", state.to);
    return query;
  }

  /* The first and last day of the matching events, from two one-item requests. */
  async function extent() {
    const first = filterParams();
    first.set("limit", "1");
    const last = new URLSearchParams(first);
    last.set("sort", "-date");
    const [a, b] = await Promise.all([getJSON("/api/v1/events", first), getJSON("/api/v1/events", last)]);
    if (!a.items.length) return null;
    const ends = [...a.items, ...b.items].map((e) => utc(e.date.end) + DAY);
    return { start: utc(a.items[0].date.start), end: Math.max(...ends) };
  }

  /* Events overlapping [from, to] (ms), a slice at a time, each slice paged up to its cap. */
  async function eventsBetween(from, to) {
    const lo = state.from ? Math.max(from, utc(state.from)) : from;
    const hi = state.to ? Math.min(to, utc(state.to)) : to;
    if (hi < lo) return { events: [], dense: [] };
    const width = Math.max(Math.ceil((hi - lo) / SLICES / DAY), 1) * DAY;
    const slices = [];
    for (let start = lo; start <= hi; start += width) slices.push([start, Math.min(start + width - DAY, hi)]);
    const results = await Promise.all(
      slices.map(async ([start, end]) => {
        const query = filterParams();
        query.set("from", isoDay(start));
        query.set("to", isoDay(end));
        query.set("limit", String(PAGE));
        const events = [];
        let cursor = null;
        for (let page = 0; page < PAGES_PER_SLICE; page++) {
          if (cursor) query.set("cursor", cursor);
          const body = await getJSON("/api/v1/events", query);
          events.push(...body.items);
          cursor = body.next_cursor;
          if (!cursor) break;
        }
        return { events, dense: cursor ? [start, end + DAY] : null };
      }),
    );
    const byId = new Map();
    for (const result of results) for (const event of result.events) byId.set(event.id, event);
    const span = (e) => utc(e.date.end) - utc(e.date.start);
    const events = [...byId.values()].sort((a, b) => span(a) - span(b)).slice(0, DRAW_CAP);
    const dense = results.map((r) => r.dense).filter(Boolean);
    if (byId.size > DRAW_CAP && !dense.length) dense.push([lo, hi + DAY]);
    return { events, dense };
  }

  // -- layout --------------------------------------------------------------------------------------

  const labelled = (key, control) => el("label", { class: "tlw-field" }, el("span", { "data-t": key }), " ", control);
  const searchInput = el("input", { type: "search", name: "q", "data-t-placeholder": "searchPlaceholder", dir: "auto" });
  const actorSelect = el("select", { name: "actor", dir: "auto" });
  const typeSelect = el("select", { name: "type" });
  const fromInput = el("input", { type: "date", name: "from" });
  const toInput = el("input", { type: "date", name: "to" });
  const lanesSelect = el("select", { name: "lanes" });
  const langButton = el("button", { type: "button", class: "tlw-lang", name: "lang" });
  const useViewButton = el("button", { type: "button", class: "tlw-use-view", "data-t": "useView" });
  const resetButton = el("button", { type: "button", class: "tlw-reset", "data-t": "reset" });
  const permalinkAnchor = el("a", { class: "tlw-permalink", "data-t": "permalink", target: pageMode ? null : "_blank" });
  const status = el("span", { class: "tlw-status", role: "status" });
  const form = el(
    "form",
    { class: "tlw-filters", onsubmit: (e) => e.preventDefault() },
    el("label", { class: "tlw-field tlw-search" }, el("span", { class: "tlw-visually-hidden", "data-t": "search" }), searchInput),
    actorSelect,
    typeSelect,
    labelled("from", fromInput),
    labelled("to", toInput),
    useViewButton,
    labelled("lanes", lanesSelect),
    resetButton,
    langButton,
    permalinkAnchor,
    status,
  );
  const legend = el("div", { class: "tlw-legend" });
  const notice = el("p", { class: "tlw-notice", role: "alert", hidden: true });
  const stage = el("div", { class: "tlw-stage" });
  const detail = el("aside", { class: "tlw-detail", hidden: true, "aria-live": "polite", tabindex: "-1" });
  const root = el("div", { class: "tlw" }, form, legend, notice, el("div", { class: "tlw-frame" }, stage, detail));
  target.replaceChildren(root);

  function fillSelect(select, options, chosen) {
    select.replaceChildren(...options.map(([value, label]) => el("option", { value }, label)));
    if (chosen && !options.some(([value]) => value === chosen)) select.append(el("option", { value: chosen }, chosen));
    select.value = chosen;
  }

  const knownActors = new Map(); // id -> name, from the stats and every loaded event

  function renderChoices() {
    fillSelect(typeSelect, [["", t("allTypes")], ...Object.keys(words.types).map((type) => [type, typeLabel(type)])], state.type);
    const actors = [...knownActors].sort((a, b) => a[1].localeCompare(b[1], words.locale));
    fillSelect(actorSelect, [["", t("allActors")], ...actors], state.actor);
    fillSelect(lanesSelect, [["none", t("lanesNone")], ["type", t("lanesType")], ["actor", t("lanesActor")]], state.lanes);
  }

  function renderWords() {
    words = window.TimelineWidgetI18n[state.lang] || window.TimelineWidgetI18n.en;
    makeFormats();
    root.lang = state.lang;
    root.dir = words.dir;
    const scope = pageMode ? document : root;
    if (pageMode) {
      document.documentElement.lang = state.lang;
      document.documentElement.dir = words.dir;
      document.title = t("pageTitle");
      // The page's export links give titles and names in the page's language too.
      for (const link of document.querySelectorAll("a[data-tlw-export]")) {
        const url = new URL(link.href);
        url.searchParams.set("lang", state.lang);
        link.href = url.href;
      }
    }
    for (const node of scope.querySelectorAll("[data-t], [data-tlw-t]")) node.textContent = t(node.dataset.t || node.dataset.tlwT);
    for (const node of root.querySelectorAll("[data-t-placeholder]")) {
      node.placeholder = t(node.dataset.tPlaceholder);
      node.setAttribute("aria-label", t("search"));
    }
    actorSelect.setAttribute("aria-label", t("allActors"));
    typeSelect.setAttribute("aria-label", t("allTypes"));
    langButton.textContent = t("otherLanguage");
    langButton.lang = t("otherLanguageCode");
    searchInput.value = state.q;
    fromInput.value = state.from;
    toInput.value = state.to;
    renderChoices();
  }

  // -- the timeline: items, lanes, colours, clusters -----------------------------------------------

  let timeline = null;
  let dataset = null;
  let groups = null;
  const loaded = new Map(); // event id -> event, for the current window and filters
  let dense = [];

  function itemsFor(event) {
    const start = utc(event.date.start);
    const end = utc(event.date.end) + DAY;
    const granularity = event.date.granularity;
    const point = granularity === "day" && event.date.start === event.date.end;
    const coarse = COARSE.has(granularity);
    const when = coarse || !point ? `<span class="tlw-item-when">${escapeHtml(dateLabel(event.date))}</span> ` : "";
    const base = {
      eventId: event.id,
      start,
      type: point ? "point" : "range",
      content: `<span class="tlw-item" data-event-id="${event.id}" dir="auto">${when}${escapeHtml(event.title)}</span>`,
      title: `${escapeHtml(event.title)} — ${escapeHtml(dateLabel(event.date))} (${escapeHtml(words.granularity[granularity] || granularity)})`,
      className: `tlw-type-${event.type} tlw-g-${granularity}${coarse ? " tlw-coarse" : ""}${event.status === "planned" ? " tlw-planned" : ""}`,
    };
    if (!point) base.end = end;
    if (state.lanes === "type") return [{ ...base, id: String(event.id), group: event.type }];
    if (state.lanes === "actor") {
      const lanes = event.actors.map((a) => a.id).filter((id) => laneActors.has(id));
      if (!lanes.length || lanes.length < event.actors.length) lanes.push("~other");
      return lanes.map((lane) => ({ ...base, id: `${event.id}@${lane}`, group: lane }));
    }
    return [{ ...base, id: String(event.id) }];
  }

  let laneActors = new Set();
  function laneGroups(events) {
    if (state.lanes === "type") {
      const types = [...new Set(events.map((e) => e.type))].sort();
      return types.map((type) => ({ id: type, content: escapeHtml(typeLabel(type)), className: `tlw-lane tlw-type-${type}` }));
    }
    if (state.lanes === "actor") {
      const counts = new Map();
      for (const event of events) for (const actor of event.actors) counts.set(actor.id, (counts.get(actor.id) || 0) + 1);
      const top = [...counts].sort((a, b) => b[1] - a[1]).slice(0, LANE_ACTORS).map(([id]) => id);
      laneActors = new Set(top);
      const lanes = top.map((id) => ({ id, content: `<span dir="auto">${escapeHtml(knownActors.get(id) || id)}</span>`, className: "tlw-lane" }));
      if (events.some((e) => !e.actors.length || e.actors.some((a) => !laneActors.has(a.id)))) {
        lanes.push({ id: "~other", content: escapeHtml(t("other")), className: "tlw-lane" });
      }
      return lanes;
    }
    return null;
  }

  function draw() {
    const events = [...loaded.values()];
    const lanes = laneGroups(events);
    const next = events.flatMap(itemsFor);
    dense.forEach(([start, end], i) =>
      next.push({ id: `~dense-${i}`, start, end, type: "background", className: "tlw-dense", content: escapeHtml(t("more")) }),
    );
    const keep = new Set(next.map((item) => item.id));
    const stale = dataset.getIds().filter((id) => !keep.has(id));
    if (lanes) {
      groups.clear();
      groups.add(lanes);
      if (timeline.groupsData == null || timeline.groupsData.getDataSet() !== groups) timeline.setGroups(groups);
    } else if (timeline.groupsData) {
      timeline.setGroups(null);
    }
    dataset.remove(stale);
    dataset.update(next);
    renderLegend(events);
    status.textContent = t("events", events.length);
    notice.hidden = !dense.length || notice.classList.contains("tlw-error");
    if (dense.length) notice.textContent = t("truncated", events.length);
  }

  function renderLegend(events) {
    const counts = new Map();
    for (const event of events) counts.set(event.type, (counts.get(event.type) || 0) + 1);
    const types = state.type ? [state.type] : [...counts.keys()].sort();
    legend.replaceChildren(
      ...types.map((type) =>
        el(
          "button",
          {
            type: "button",
            class: `tlw-key tlw-type-${type}`,
            "data-type": type,
            "aria-pressed": String(state.type === type),
            onclick: () => setFilters({ type: state.type === type ? "" : type }),
          },
          el("span", { class: "tlw-swatch" }),
          `${typeLabel(type)} (${counts.get(type) || 0})`,
        ),
      ),
    );
  }

  function axisFormat() {
    // Axis labels through Intl, so Arabic gets Arabic month names without moment's locale files.
    const label = (options) => (date) => new Intl.DateTimeFormat(words.locale, Object.assign({ timeZone: "UTC" }, options)).format(new Date(date.valueOf()));
    const day = label({ day: "numeric" });
    const month = label({ month: "short" });
    const monthYear = label({ month: "long", year: "numeric" });
    const year = label({ year: "numeric" });
    const dayMonth = label({ day: "numeric", month: "long", year: "numeric" });
    return {
      minorLabels: (date, scale) =>
        ({ day: day, weekday: day, month: month, year: year })[scale]?.(date) ?? label({ hour: "2-digit", minute: "2-digit" })(date),
      majorLabels: (date, scale) => ({ day: monthYear, weekday: monthYear, month: year, year: () => "" })[scale]?.(date) ?? dayMonth(date),
    };
  }

  function createTimeline(view) {
    if (timeline) timeline.destroy();
    const vis = globalThis.vis;
    timeline = new vis.Timeline(stage, dataset, {
      rtl: words.dir === "rtl",
      locale: state.lang,
      moment: (date) => vis.moment(date).utc(),
      format: axisFormat(),
      start: view.start,
      end: view.end,
      zoomMin: 7 * DAY,
      zoomMax: 200 * 365 * DAY,
      minHeight: 260,
      stack: true,
      showCurrentTime: false,
      selectable: true,
      orientation: { axis: "top", item: "top" },
      margin: { item: { horizontal: 2, vertical: 4 } },
      tooltip: { followMouse: true, overflowMethod: "cap" },
      groupHeightMode: "auto",
      verticalScroll: true,
      maxHeight: 520,
      xss: { disabled: true }, // every text is escaped by escapeHtml; the filter would drop data-event-id
      cluster: { maxItems: 3, titleTemplate: t("clusterTitle"), showStipes: true, fitOnDoubleClick: true },
    });
    timeline.on("rangechanged", onRangeChanged);
    timeline.on("click", (props) => {
      if (props.isCluster) {
        const members = props.items.map((id) => dataset.get(id)).filter(Boolean);
        const start = Math.min(...members.map((m) => +m.start));
        const end = Math.max(...members.map((m) => +(m.end || m.start)));
        timeline.setWindow(start - DAY, end + DAY);
      } else if (props.item && dataset.get(props.item)) {
        openEvent(dataset.get(props.item).eventId);
      }
    });
    if (loaded.size) draw();
  }

  // -- the detail panel: every mention, its sentence and the date expression highlighted ---------

  function highlighted(mention) {
    const sentence = mention.sentence;
    if (mention.expression_start === null || mention.expression_start === undefined) return [sentence];
    const from = mention.expression_start - mention.start;
    const to = mention.expression_end - mention.start;
    if (from < 0 || to > sentence.length || from >= to) return [sentence];
    return [sentence.slice(0, from), el("mark", { class: "tlw-expression" }, sentence.slice(from, to)), sentence.slice(to)];
  }

  let opened = 0;
  function closeDetail() {
    opened++;
    detail.hidden = true;
    detail.replaceChildren();
    if (timeline) timeline.setSelection([]);
  }

  async function openEvent(id) {
    const mine = ++opened;
    let event;
    try {
      event = await getJSON(`/api/v1/events/${id}`);
    } catch (error) {
      status.textContent = error.message;
      return;
    }
    if (mine !== opened) return; // closed or another event opened meanwhile
    detail.replaceChildren(
      el("button", { type: "button", class: "tlw-close", "aria-label": t("close"), onclick: closeDetail }, "×"),
      el("h3", { dir: "auto", class: "tlw-detail-title" }, event.title),
      el(
        "p",
        { class: "tlw-when" },
        el("time", { datetime: event.date.start }, dateLabel(event.date)),
        " ",
        el("span", { class: `tlw-badge tlw-g-${event.date.granularity}` }, words.granularity[event.date.granularity] || event.date.granularity),
        " ",
        el("span", { class: `tlw-badge tlw-type-badge tlw-type-${event.type}` }, typeLabel(event.type)),
        event.status === "planned" ? el("span", { class: "tlw-badge tlw-planned-badge" }, t("planned")) : null,
      ),
      el(
        "p",
        { class: "tlw-meta" },
        event.actors.map((a) => el("span", { class: `tlw-actor tlw-kind-${a.kind}`, dir: "auto" }, a.name)),
        event.location ? el("span", { class: "tlw-place" }, `${t("at")} `, el("bdi", {}, event.location.name)) : null,
      ),
      el("h4", {}, t("mentions")),
      el(
        "ol",
        { class: "tlw-mentions" },
        event.mentions.map((mention) =>
          el(
            "li",
            { class: "tlw-mention" },
            el("blockquote", { class: "tlw-sentence", dir: "auto" }, highlighted(mention)),
            el("p", { class: "tlw-source" }, t("source", mention), ` · ${t("trigger")} `, el("q", { dir: "auto" }, mention.trigger), ` · ${t("dateFrom")} ${mention.resolution}`),
          ),
        ),
      ),
    );
    detail.dataset.eventId = String(event.id);
    detail.hidden = false;
    detail.focus({ preventScroll: true });
  }

  // -- loading the visible window ------------------------------------------------------------------

  let generation = 0;
  let firstRender = true;
  let loadedView = "";

  async function loadWindow() {
    const mine = ++generation;
    const view = timeline.getWindow();
    loadedView = `${+view.start}/${+view.end}`;
    const margin = (view.end - view.start) * 0.1; // a little either side, so short pans need no fetch
    state.start = isoDay(+view.start);
    state.end = isoDay(+view.end);
    writeUrl();
    status.textContent = t("loading");
    let result;
    const span = [+view.start - margin, +view.end + margin];
    try {
      result = await eventsBetween(...span);
    } catch (error) {
      if (mine === generation) showError(error);
      return;
    }
    if (mine !== generation) return; // a newer window or filter won
    clearError();
    loaded.clear();
    for (const event of result.events) {
      loaded.set(event.id, event);
      for (const actor of event.actors) knownActors.set(actor.id, actor.name);
    }
    dense = result.dense;
    draw();
    renderChoices();
    if (firstRender) {
      firstRender = false;
      requestAnimationFrame(() => {
        root.dataset.firstRenderMs = String(Math.round(performance.now() - started));
      });
    }
    root.dataset.count = String(loaded.size);
    root.dataset.from = isoDay(span[0]);
    root.dataset.to = isoDay(span[1]);
    root.dataset.dense = String(dense.length);
    root.dataset.ready = "true";
    root.dataset.generation = String(mine);
  }
  const onRangeChanged = debounce(() => {
    const view = timeline.getWindow();
    if (`${+view.start}/${+view.end}` !== loadedView) loadWindow();
  }, 200);

  function showError(error) {
    notice.textContent = error.message;
    notice.hidden = false;
    notice.classList.add("tlw-error");
    notice.classList.toggle("tlw-cors", error instanceof CorsError);
    status.textContent = "";
    root.dataset.error = error instanceof CorsError ? "cors" : "error";
  }

  function clearError() {
    notice.classList.remove("tlw-error", "tlw-cors");
    notice.hidden = true;
    delete root.dataset.error;
  }

  /* A filter changed: close the detail, fit the window to what matches, and load it. */
  async function setFilters(changes) {
    Object.assign(state, changes);
    closeDetail();
    renderChoices();
    searchInput.value = state.q;
    fromInput.value = state.from;
    toInput.value = state.to;
    await fit();
  }

  let fitting = 0;
  async function fit() {
    const mine = ++fitting;
    generation++; // a window load already under way is out of date
    let range;
    try {
      range = await extent();
    } catch (error) {
      if (mine === fitting) showError(error);
      return;
    }
    if (mine !== fitting) return;
    if (!range) {
      loaded.clear();
      dense = [];
      draw();
      notice.textContent = t("noEvents");
      notice.hidden = false;
      root.dataset.count = "0";
      root.dataset.ready = "true";
      root.dataset.generation = String(generation);
      writeUrl();
      return;
    }
    const pad = Math.max((range.end - range.start) * 0.1, 15 * DAY);
    timeline.setWindow(range.start - pad, range.end + pad, { animation: false });
    await loadWindow();
  }

  searchInput.addEventListener("input", debounce(() => setFilters({ q: searchInput.value.trim() }), 300));
  actorSelect.addEventListener("change", () => setFilters({ actor: actorSelect.value }));
  typeSelect.addEventListener("change", () => setFilters({ type: typeSelect.value }));
  fromInput.addEventListener("change", () => setFilters({ from: fromInput.value }));
  toInput.addEventListener("change", () => setFilters({ to: toInput.value }));
  lanesSelect.addEventListener("change", () => {
    state.lanes = lanesSelect.value;
    closeDetail();
    draw();
    writeUrl();
  });
  useViewButton.addEventListener("click", () => {
    const view = timeline.getWindow();
    setFilters({ from: isoDay(+view.start), to: isoDay(+view.end) });
  });
  resetButton.addEventListener("click", () => setFilters({ q: "", actor: "", type: "", from: "", to: "" }));
  langButton.addEventListener("click", () => {
    state.lang = t("otherLanguageCode");
    closeDetail();
    const view = timeline.getWindow();
    renderWords();
    // Titles and names come from the API in the new language: drop the old ones and fetch again.
    loaded.clear();
    knownActors.clear();
    dataset.clear();
    createTimeline({ start: view.start, end: view.end });
    loadActorChoices();
    loadWindow();
  });
  root.addEventListener("keydown", (e) => e.key === "Escape" && !detail.hidden && closeDetail());

  // -- start ---------------------------------------------------------------------------------------

  async function start() {
    try {
      await loadScript(staticBase + "widget/i18n.js", () => window.TimelineWidgetI18n);
      await loadScript(staticBase + "vendor/vis-timeline/vis-timeline-graph2d.min.js", () => globalThis.vis && globalThis.vis.Timeline);
    } catch (error) {
      target.textContent = error.message;
      return;
    }
    dataset = new globalThis.vis.DataSet();
    groups = new globalThis.vis.DataSet();
    renderWords();
    const hasWindow = state.start && state.end && utc(state.start) < utc(state.end);
    // Without a window in the URL the first one is the span of the matching events.
    let view = hasWindow ? { start: utc(state.start), end: utc(state.end) } : null;
    if (!view) {
      const range = await extent().catch((error) => (showError(error), null));
      if (range) {
        const pad = Math.max((range.end - range.start) * 0.1, 15 * DAY);
        view = { start: range.start - pad, end: range.end + pad };
      }
    }
    createTimeline(view || { start: Date.now() - 365 * DAY, end: Date.now() });
    target.timelineWidget = { get timeline() { return timeline; }, dataset, state, loaded }; // for tests and embedders
    loadActorChoices();
    if (root.dataset.error !== "cors") loadWindow();
  }

  /* The most active actors, named in the widget's language, as the actor filter's choices. */
  function loadActorChoices() {
    const top = filterParams();
    top.set("limit", "100");
    const lang = state.lang;
    getJSON("/api/v1/stats/actors", top)
      .then((body) => {
        if (lang !== state.lang) return; // the language changed meanwhile: its own request names them
        for (const actor of body.actors || []) knownActors.set(actor.id, actor.name);
        renderChoices();
      })
      .catch(() => {}); // the actor list then grows from the loaded events alone
  }

  start();
})();
