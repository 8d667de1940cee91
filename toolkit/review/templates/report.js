"use strict";
(() => {
  const messages = Array.from(document.querySelectorAll("article.message"));
  const toc = new Map(Array.from(document.querySelectorAll("#toc li")).map((li) => [li.dataset.for, li]));
  const f = (id) => document.getElementById(id);
  const header = document.querySelector("body > header");
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
    f("count").textContent = `${shown} of ${messages.length} shown`;
  }
  for (const id of ["f-changed", "f-errors", "f-country", "f-kind"]) f(id).addEventListener("change", apply);
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
