"use strict";
(() => {
  const messages = Array.from(document.querySelectorAll("article.message"));
  const toc = new Map(Array.from(document.querySelectorAll("#toc li")).map((li) => [li.dataset.for, li]));
  const f = (id) => document.getElementById(id);
  const header = document.querySelector("body > header");
  // The report's words in every UI language, put into the page by lnm review: "table" holds the
  // page's texts by key, "script" this script's own _() texts, "htmlLang" each language's <html lang>.
  const WORDS = JSON.parse(f("lnm-strings").textContent);
  let ui = f("ui-lang").value;
  function _(msgid, args = {}) {
    const text = (WORDS.script[ui] || {})[msgid] || msgid;
    return text.replace(/\{(\w+)\}/g, (whole, name) => (name in args ? String(args[name]) : whole));
  }
  const number = (n) => new Intl.NumberFormat(WORDS.htmlLang[ui] || "en").format(n);
  const sticky = () => document.documentElement.style.setProperty("--sticky", `${header.offsetHeight}px`);
  sticky();
  new ResizeObserver(sticky).observe(header);
  function apply() {
    let shown = 0;
    for (const m of messages) {
      const hide = (f("f-changed").checked && m.dataset.changed !== "1")
        || (f("f-errors").checked && m.dataset.errors === "0")
        || (f("f-country").value && m.dataset.country !== f("f-country").value)
        || (f("f-kind").value && m.dataset.kind !== f("f-kind").value);
      m.hidden = hide;
      toc.get(m.id).hidden = hide;
      if (!hide) shown += 1;
    }
    f("count").textContent = _("{shown} of {total} shown", { shown: number(shown), total: number(messages.length) });
  }
  // Another report language: every text lnm wrote swaps to it (texts marked "h" hold markup lnm
  // escaped itself, such as <kbd>); the messages' own content never changes.
  function language(lang) {
    const table = WORDS.table[lang];
    if (!table) return;
    ui = lang;
    for (const element of document.querySelectorAll("[data-t]")) {
      const key = element.dataset.t;
      if (!(key in table)) continue;
      if (key.startsWith("h")) element.innerHTML = table[key];
      else element.textContent = table[key];
    }
    for (const name of ["alt", "aria-label", "title"]) {
      for (const element of document.querySelectorAll(`[data-t-${name}]`)) {
        const key = element.getAttribute(`data-t-${name}`);
        if (key in table) element.setAttribute(name, table[key]);
      }
    }
    document.documentElement.lang = WORDS.htmlLang[lang];
    apply();
    sticky();
  }
  for (const id of ["f-changed", "f-errors", "f-country", "f-kind"]) f(id).addEventListener("change", apply);
  f("ui-lang").addEventListener("change", () => language(f("ui-lang").value));
  function move(step) {
    const visible = messages.filter((m) => !m.hidden);
    if (!visible.length) return;
    const current = visible.indexOf(document.activeElement.closest ? document.activeElement.closest("article") : null);
    const next = visible[Math.max(0, Math.min(visible.length - 1, current < 0 ? (step > 0 ? 0 : visible.length - 1) : current + step))];
    sticky();
    next.focus({ preventScroll: true });
    next.scrollIntoView({ block: "start" });
  }
  document.addEventListener("keydown", (event) => {
    if (event.target.closest("input, select, textarea") || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "j") { move(1); event.preventDefault(); }
    else if (event.key === "k") { move(-1); event.preventDefault(); }
    else if (event.key === "/") { f("f-errors").focus(); event.preventDefault(); }
  });
  apply();
})();
