// lnm live preview. Message content is only ever put into the page as text (textContent), and the
// chat screen itself lives in a sandboxed frame that may not run scripts or load anything.
"use strict";

const LANGS = ["ja", "th", "zh-Hant", "zh-Hans", "en"];
const $ = (id) => document.getElementById(id);
// lnm's own words on this page, in the UI language the server rendered it in (?ui=): the server puts
// the catalogue's translation of every _("...") of this script into the page.
const UI = document.documentElement.dataset.ui || "en";
const STRINGS = JSON.parse($("lnm-strings").textContent || "{}");
function _(msgid, args = {}) {
  const text = STRINGS[msgid] || msgid;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in args ? String(args[name]) : whole));
}
// Translators: a finding's severity, as shown in the live preview's findings list.
const SEVERITY = { error: _("error"), warning: _("warning"), info: _("info") };
const state = { path: null, lang: "ja", theme: "light", width: "375", sample: "", all: false, good: false,
                outline: false, files: "", side: "" };
const KEPT = ["path", "lang", "theme", "width", "sample", "files", "side"];
let version = 0;

function readHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  for (const key of KEPT) {
    if (params.get(key)) state[key] = params.get(key);
  }
  state.all = params.get("all") === "1";
  state.outline = params.get("outline") === "1";
}

function writeHash() {
  const params = new URLSearchParams();
  for (const key of KEPT) {
    if (state[key]) params.set(key, state[key]);
  }
  if (state.all) params.set("all", "1");
  if (state.outline) params.set("outline", "1");
  history.replaceState(null, "", "#" + params.toString());
}

function syncControls() {
  $("lang").value = state.lang;
  $("theme").value = state.theme;
  $("width").value = state.width;
  $("all-langs").checked = state.all;
  $("outline").checked = state.outline;
  panels();
}

// The file list is open unless the designer closed it, or all languages are side by side and they
// did not open it; the findings panel is open unless closed (it goes below the phones then).
function filesOpen() { return state.files ? state.files === "open" : !state.all; }
function sideOpen() { return state.side !== "closed"; }

function panels() {
  document.body.classList.toggle("all-langs", state.all);
  document.body.classList.toggle("files-collapsed", !filesOpen());
  document.body.classList.toggle("side-collapsed", !sideOpen());
  $("toggle-files").setAttribute("aria-expanded", String(filesOpen()));
  $("toggle-side").setAttribute("aria-expanded", String(sideOpen()));
}

async function getJSON(url) {
  const response = await fetch(url + (url.includes("?") ? "&" : "?") + "ui=" + encodeURIComponent(UI),
                               { cache: "no-store" });
  if (!response.ok) throw new Error((await response.json()).error || response.statusText);
  return response.json();
}

async function loadFiles() {
  const data = await getJSON("/api/specs");
  const list = $("files");
  list.replaceChildren();
  // Show the files by what sets them apart: the folder all of them share is left out.
  let common = data.specs.length > 1 ? data.specs[0].slice(0, data.specs[0].lastIndexOf("/") + 1) : "";
  for (const key of data.specs) {
    while (common && !key.startsWith(common)) common = common.slice(0, common.slice(0, -1).lastIndexOf("/") + 1);
  }
  for (const key of data.specs) {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = key.slice(common.length);
    button.title = key;
    button.dataset.path = key;
    button.setAttribute("aria-current", String(key === state.path));
    button.addEventListener("click", () => { state.path = key; state.good = false; update(true); });
    item.append(button);
    list.append(item);
  }
  if (!state.path && data.specs.length) state.path = data.specs[0];
}

function frameURL(lang) {
  const params = new URLSearchParams({ path: state.path, lang, theme: state.theme, width: state.width,
                                       sample: state.sample, ui: UI, v: String(version) });
  if (state.good) params.set("good", "1");
  // The frame may run no script, so the server draws the outlines into the page it sends.
  if (state.outline) params.set("outline", "contrast");
  return "/frame?" + params.toString();
}

function showFrames() {
  const holder = $("frames");
  holder.classList.toggle("stale", state.good);
  $("stale-note").hidden = !state.good;
  const langs = state.all ? LANGS : [state.lang];
  const width = Number(state.width);
  const height = Math.round(width * 667 / 375);
  const existing = Array.from(holder.querySelectorAll("iframe"));
  const same = existing.length === langs.length && existing.every((f, i) => f.dataset.lang === langs[i]);
  if (!same) {
    holder.replaceChildren();
    for (const lang of langs) {
      const figure = document.createElement("figure");
      const frame = document.createElement("iframe");
      frame.setAttribute("sandbox", "");
      frame.setAttribute("referrerpolicy", "no-referrer");
      frame.dataset.lang = lang;
      frame.title = _("Chat screen, app language {lang}", { lang });
      const caption = document.createElement("figcaption");
      caption.textContent = lang;
      figure.append(frame, caption);
      holder.append(figure);
    }
  }
  for (const frame of holder.querySelectorAll("iframe")) {
    frame.width = String(width);
    frame.height = String(height);
    const url = frameURL(frame.dataset.lang);
    if (frame.getAttribute("src") !== url) frame.src = url;
  }
  holder.hidden = false;
}

// Info notes of one rule are shown once, with the other places under "more like this" (as the
// command line speaks once per run for such rules).
function groupFindings(findings) {
  const groups = [];
  const infoByCode = new Map();
  for (const f of findings) {
    if (f.severity === "info" && infoByCode.has(f.code)) {
      infoByCode.get(f.code).more.push(f);
      continue;
    }
    const group = { first: f, more: [] };
    if (f.severity === "info") infoByCode.set(f.code, group);
    groups.push(group);
  }
  return groups;
}

function clearFindings(unknown) {
  $("findings").replaceChildren();
  $("no-findings").hidden = true;
  $("findings-unknown").hidden = !unknown;
  $("body").textContent = "";
}

// Where a finding is: its line and column, and the property it is about.
function place(f) {
  const where = _("line {line}, column {column}", { line: f.line, column: f.column });
  return f.property ? `${where} · ${f.property}` : where;
}

function showFindings(findings) {
  const list = $("findings");
  list.replaceChildren();
  $("findings-unknown").hidden = true;
  $("no-findings").hidden = findings.length > 0;
  for (const { first: f, more } of groupFindings(findings)) {
    const item = document.createElement("li");
    const sev = document.createElement("span");
    sev.className = `sev sev-${f.severity}`;
    sev.textContent = SEVERITY[f.severity] || f.severity;
    const text = document.createElement("span");
    text.textContent = ` ${f.code} ${f.message}`;
    const where = document.createElement("div");
    where.className = "where";
    where.textContent = place(f);
    item.append(sev, text, where);
    if (f.source) {
      const src = document.createElement("div");
      src.className = "src";
      src.textContent = `${f.line} | ${f.source.trim()}`;
      item.append(src);
    }
    if (f.fix) {
      const fix = document.createElement("div");
      fix.textContent = _("Fix: {fix}", { fix: f.fix });
      item.append(fix);
    }
    if (more.length) {
      const details = document.createElement("details");
      const summary = document.createElement("summary");
      summary.textContent = _("More like this: {count}", { count: more.length });
      const places = document.createElement("ul");
      for (const m of more) {
        const other = document.createElement("li");
        other.className = "where";
        other.textContent = _("{place}: {message}", { place: place(m), message: m.message });
        places.append(other);
      }
      details.append(summary, places);
      item.append(details);
    }
    list.append(item);
  }
}

function showSamples(samples) {
  const select = $("sample");
  const names = Array.from(select.options).map((o) => o.value);
  if (names.join("\n") !== samples.join("\n")) {
    select.replaceChildren(...samples.map((name) => new Option(name, name)));
  }
  if (!samples.includes(state.sample)) state.sample = samples.includes("default") ? "default" : (samples[0] || "");
  select.value = state.sample;
  select.disabled = samples.length === 0;
}

async function update(filesChanged) {
  if (filesChanged) await loadFiles();
  for (const button of document.querySelectorAll("#files button")) {
    button.setAttribute("aria-current", String(button.dataset.path === state.path));
  }
  syncControls();
  writeHash();
  if (!state.path) return;
  const scroll = [window.scrollX, window.scrollY];
  let data;
  try {
    data = await getJSON("/api/spec?" + new URLSearchParams({ path: state.path, sample: state.sample }));
  } catch (error) {
    $("error-text").textContent = `${state.path}: ${error.message}`;
    $("error").hidden = false;
    $("show-good").hidden = true;
    $("frames").hidden = true;
    $("stale-note").hidden = true;
    clearFindings(true);
    return;
  }
  $("title").textContent = data.title ? `${data.title} (${data.key})` : data.key;
  if (data.error) {
    // Nothing of the last good version stays in view unless asked for, and then marked as stale.
    $("error-text").textContent = data.error;
    $("error").hidden = false;
    $("show-good").hidden = !data.hasLastGood || state.good;
    clearFindings(true);
    if (state.good && data.hasLastGood) {
      showFrames();
    } else {
      state.good = false;
      $("frames").hidden = true;
      $("stale-note").hidden = true;
    }
  } else {
    state.good = false;
    $("error").hidden = true;
    showSamples(data.samples);
    showFindings(data.findings);
    $("body").textContent = data.body || "";
    showFrames();
  }
  document.body.dataset.version = String(version);
  window.scrollTo(scroll[0], scroll[1]);
}

function listen() {
  const source = new EventSource("/events");
  source.onmessage = (event) => {
    const data = JSON.parse(event.data);
    if (data.version === version) return;
    version = data.version;
    $("live").textContent = data.lost && data.lost.length
      ? _("lost {paths}: moved or deleted (a branch switch?); following again when it is back",
          { paths: data.lost.join(", ") })
      : data.changed.length ? _("updated {paths}", { paths: data.changed.join(", ") }) : "";
    update(true);
  };
}

function wire() {
  for (const id of ["lang", "theme", "width", "sample"]) {
    $(id).addEventListener("change", () => { state[id] = $(id).value; update(false); });
  }
  $("all-langs").addEventListener("change", () => { state.all = $("all-langs").checked; update(false); });
  $("outline").addEventListener("change", () => { state.outline = $("outline").checked; update(false); });
  // Another page language: the server renders the page again in it (no restart); the hash keeps
  // the file, app language, theme, width and sample.
  $("ui-lang").addEventListener("change", () => {
    location.replace(location.pathname + "?ui=" + encodeURIComponent($("ui-lang").value) + location.hash);
  });
  $("show-good").addEventListener("click", () => { state.good = true; $("show-good").hidden = true; showFrames(); });
  $("toggle-files").addEventListener("click", () => {
    state.files = filesOpen() ? "closed" : "open";
    writeHash();
    panels();
  });
  $("toggle-side").addEventListener("click", () => {
    state.side = sideOpen() ? "closed" : "open";
    writeHash();
    panels();
  });
  window.addEventListener("hashchange", () => { readHash(); update(false); });
}

readHash();
wire();
update(true).then(listen);
