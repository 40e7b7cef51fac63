/* The header's navigation (dashboard/components/shell.py draws plain links with data-path, in one static tree):
   - a click opens the page without reloading, as dcc.Link does (history.pushState and Dash's
     "_dashprivate_pushstate" event, which dcc.Location hears), carrying the address's filters and page settings;
   - the link of the page shown is marked (class "active", aria-current="page"), on every page change;
   - each link's href carries the filters too (``carryFilters``, called when a filter changes, and before a link is
     used any other way: opened in a new tab, copied), so what a reader copies reopens the view.
   - the address follows the filters and each page's own settings (``setParams``, from the clientside callbacks of
     dashboard/components/filters.py): written with history.replaceState once the browser has a moment, not while
     the page is being drawn. In a profile of How we compare each change called replaceState twice, 3-5 ms each
     while Dash and plotly were drawing; now one write, after the frame. Anything that reads the address first
     (a link opened, a download, "Copy link", another history entry) writes it at once (``writeAddress``).
   Also the "Menu" button on a phone (opens and closes the navigation, and closes it after a choice), and the
   "Copy link" button, whose words copy as well as its icon (dcc.Clipboard listens on its icon only). */
(function () {
  "use strict";
  var LINKS = ".main-nav a[data-path]";

  var changes = null; // query keys -> values the address is still to take
  var scheduled = null; // the idle callback (or timer) that writes them

  function writeAddress() {
    if (scheduled !== null) {
      if ("cancelIdleCallback" in window) { window.cancelIdleCallback(scheduled); } else { clearTimeout(scheduled); }
      scheduled = null;
    }
    if (changes === null) { return; }
    var values = changes;
    changes = null;
    // Applied to the address as it is now, so a write made meanwhile (presentation mode's) is kept.
    var params = new URLSearchParams(window.location.search);
    Object.keys(values).forEach(function (key) { params.set(key, values[key]); });
    var search = "?" + params.toString();
    if (search !== window.location.search) {
      window.history.replaceState(window.history.state, "", window.location.pathname + search);
    }
    carryFilters();
  }
  function setParams(values) {
    changes = Object.assign(changes || {}, values);
    if (scheduled === null) {
      scheduled = "requestIdleCallback" in window
        ? window.requestIdleCallback(writeAddress, {timeout: 100})
        : setTimeout(writeAddress, 0);
    }
  }
  // A new history entry takes the address as the filters left it (dcc.Link, presentation mode's slides, the
  // links below); going back or forward drops what the page left was still to write.
  var pushState = window.history.pushState;
  window.history.pushState = function () { writeAddress(); return pushState.apply(this, arguments); };
  window.addEventListener("popstate", function () { changes = null; writeAddress(); });

  function carry(link) {
    if (changes !== null) { writeAddress(); }
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
  window.dashboardNav = {carryFilters: carryFilters, setParams: setParams, writeAddress: writeAddress};
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
