/* The header's navigation (dashboard/components/shell.py draws plain links with data-path, in one static tree):
   - a click opens the page without reloading, as dcc.Link does (history.pushState and Dash's
     "_dashprivate_pushstate" event, which dcc.Location hears), carrying the address's filters and page settings;
   - the link of the page shown is marked (class "active", aria-current="page"), on every page change;
   - each link's href carries the filters too (``carryFilters``, called when a filter changes, and before a link is
     used any other way: opened in a new tab, copied), so what a reader copies reopens the view.
   Also the "Menu" button on a phone (opens and closes the navigation, and closes it after a choice), and the
   "Copy link" button, whose words copy as well as its icon (dcc.Clipboard listens on its icon only). */
(function () {
  "use strict";
  var LINKS = ".main-nav a[data-path]";

  function carry(link) {
    link.setAttribute("href", link.getAttribute("data-path") + window.location.search);
  }
  function carryFilters() {
    document.querySelectorAll(LINKS).forEach(carry);
  }
  function markShown() {
    document.querySelectorAll(LINKS).forEach(function (link) {
      var shown = link.getAttribute("data-path") === window.location.pathname;
      link.classList.toggle("active", shown);
      if (shown) { link.setAttribute("aria-current", "page"); } else { link.removeAttribute("aria-current"); }
    });
  }
  function open(link) {
    carry(link);
    window.history.pushState({}, "", link.getAttribute("href"));
    window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
    window.scrollTo(0, 0);
  }
  window.dashboardNav = {carryFilters: carryFilters};
  window.addEventListener("popstate", markShown);
  window.addEventListener("_dashprivate_pushstate", markShown);
  // The header is drawn by Dash after this file runs: mark the page shown once its links exist.
  var waiting = new MutationObserver(function () {
    if (document.querySelector(LINKS)) { waiting.disconnect(); carryFilters(); markShown(); }
  });
  waiting.observe(document.documentElement, {childList: true, subtree: true});

  function setOpen(header, button, isOpen) {
    header.classList.toggle("nav-open", isOpen);
    button.setAttribute("aria-expanded", isOpen ? "true" : "false");
  }
  function copyLink(button) {
    var icon = button.querySelector("#copy-link");
    if (icon) { icon.click(); }
  }
  ["pointerdown", "focusin"].forEach(function (kind) {
    document.addEventListener(kind, function (event) {
      var link = event.target.closest && event.target.closest(LINKS);
      if (link) { carry(link); }
    });
  });
  document.addEventListener("keydown", function (event) {
    var button = event.target.closest && event.target.closest(".copy-link");
    if (button && (event.key === "Enter" || event.key === " ")) { event.preventDefault(); copyLink(button); }
  });
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target : event.target.parentElement;
    var link = target && target.closest(LINKS);
    if (link && event.button === 0 && !event.defaultPrevented &&
        !(event.metaKey || event.ctrlKey || event.shiftKey || event.altKey)) {
      event.preventDefault();
      open(link);
    }
    var copy = target && target.closest(".copy-link");
    if (copy && !target.closest("#copy-link")) { copyLink(copy); return; }
    var header = target && target.closest(".site-header");
    var button = document.getElementById("nav-toggle");
    if (!header || !button) { return; }
    if (target.closest("#nav-toggle")) { setOpen(header, button, !header.classList.contains("nav-open")); return; }
    if (target.closest(".main-nav a")) { setOpen(header, button, false); }
  });
})();
