// lnm live preview. Message content is only ever put into the page as text (textContent), and the
// chat screen itself lives in a sandboxed frame that may not run scripts or load anything.
"use strict";

const LANGS = ["ja", "th", "zh-Hant", "zh-Hans", "en"];
const $ = (id) => document.getElementById(id);
const state = { path: null, lang: "ja", theme: "light", width: "375", sample: "", all: false, good: false,
                outline: false };
let version = 0;

function readHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  for (const key of ["path", "lang", "theme", "width", "sample"]) {
    if (params.get(key)) state[key] = params.get(key);
  }
  state.all = params.get("all") === "1";
  state.outline = params.get("outline") === "1";
}

function writeHash() {
  const params = new URLSearchParams();
  for (const key of ["path", "lang", "theme", "width", "sample"]) {
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
}

async function getJSON(url) {
  const response = await fetch(url, { cache: "no-store" });
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
                                       sample: state.sample, v: String(version) });
  if (state.good) params.set("good", "1");
  // The frame may run no script, so the server draws the outlines into the page it sends.
  if (state.outline) params.set("outline", "contrast");
  return "/frame?" + params.toString();
}

function showFrames() {
  const holder = $("frames");
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
      frame.title = `Chat screen, app language ${lang}`;
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

function showFindings(findings) {
  const list = $("findings");
  list.replaceChildren();
  $("no-findings").hidden = findings.length > 0;
  for (const f of findings) {
    const item = document.createElement("li");
    const sev = document.createElement("span");
    sev.className = `sev sev-${f.severity}`;
    sev.textContent = f.severity;
    const text = document.createElement("span");
    text.textContent = ` ${f.code} ${f.message}`;
    const where = document.createElement("div");
    where.className = "where";
    where.textContent = `line ${f.line}, column ${f.column}` + (f.property ? ` · ${f.property}` : "");
    item.append(sev, text, where);
    if (f.source) {
      const src = document.createElement("div");
      src.className = "src";
      src.textContent = `${f.line} | ${f.source.trim()}`;
      item.append(src);
    }
    if (f.fix) {
      const fix = document.createElement("div");
      fix.textContent = `Fix: ${f.fix}`;
      item.append(fix);
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
    $("frames").hidden = true;
    return;
  }
  $("title").textContent = data.title ? `${data.title} (${data.key})` : data.key;
  if (data.error) {
    $("error-text").textContent = data.error;
    $("error").hidden = false;
    $("show-good").hidden = !data.hasLastGood;
    if (state.good && data.hasLastGood) showFrames(); else $("frames").hidden = true;
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
    $("live").textContent = data.changed.length ? `updated ${data.changed.join(", ")}` : "";
    update(true);
  };
}

function wire() {
  for (const id of ["lang", "theme", "width", "sample"]) {
    $(id).addEventListener("change", () => { state[id] = $(id).value; update(false); });
  }
  $("all-langs").addEventListener("change", () => { state.all = $("all-langs").checked; update(false); });
  $("outline").addEventListener("change", () => { state.outline = $("outline").checked; update(false); });
  $("show-good").addEventListener("click", () => { state.good = true; showFrames(); });
  window.addEventListener("hashchange", () => { readHash(); update(false); });
}

readHash();
wire();
update(true).then(listen);
