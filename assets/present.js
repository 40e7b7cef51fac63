/* Presentation mode (?present=1): big type, no chrome; arrow keys step through a meeting deck. */
(function () {
  "use strict";
  function params() { return new URLSearchParams(window.location.search); }
  function apply() {
    var on = params().get("present") === "1";
    document.body.classList.toggle("present", on);
    var toggle = document.getElementById("present-toggle");
    if (toggle) { toggle.setAttribute("aria-pressed", on ? "true" : "false"); }
  }
  ["pushState", "replaceState"].forEach(function (name) {
    var original = window.history[name];
    window.history[name] = function () { var result = original.apply(this, arguments); apply(); return result; };
  });
  window.addEventListener("popstate", apply);
  document.addEventListener("DOMContentLoaded", apply);
  new MutationObserver(apply).observe(document.documentElement, { childList: true, subtree: false });

  function setPresent(on) {
    var p = params();
    if (on) { p.set("present", "1"); } else { p.delete("present"); p.delete("deck"); p.delete("slide"); }
    var search = p.toString();
    window.history.replaceState(window.history.state, "", window.location.pathname + (search ? "?" + search : ""));
  }

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest && event.target.closest("#present-toggle");
    if (toggle) { event.preventDefault(); setPresent(params().get("present") !== "1"); return; }
    var add = event.target.closest && event.target.closest("#add-to-deck");
    if (add) { add.href = "/decks?add=" + encodeURIComponent(window.location.pathname + window.location.search); }
  });

  document.addEventListener("keydown", function (event) {
    var p = params();
    if (p.get("present") !== "1") { return; }
    if (event.target.closest && event.target.closest("input, textarea, select, .dash-dropdown, [role=listbox]")) { return; }
    if (event.key === "Escape") { setPresent(false); return; }
    var forward = event.key === "ArrowRight" || event.key === "PageDown" || event.key === " ";
    var back = event.key === "ArrowLeft" || event.key === "PageUp";
    var deck = p.get("deck");
    if (!deck || !(forward || back)) { return; }
    event.preventDefault();
    var next = parseInt(p.get("slide") || "0", 10) + (forward ? 1 : -1);
    fetch("/api/v1/decks/" + encodeURIComponent(deck)).then(function (r) { return r.json(); }).then(function (d) {
      if (next >= 0 && d.items && next < d.items.length) { window.location.href = d.items[next].url; }
    });
  });
})();
