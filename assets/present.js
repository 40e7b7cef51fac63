/* Presentation mode (?present=1) for a projector at 1280x720, charts fitted to a phone, and meeting decks stepped
 * through with the arrow keys.
 *
 * Why in the browser: the figures the server sends are the same in every mode (one figure per view, one cache
 * entry), and presentation is a way of showing them. So each chart is re-laid out here, after plotly has drawn it:
 * every text at least 18 px, axes that make room for their labels, and a height that keeps the chart on the screen.
 * Plotly then lays the bigger text out itself, so nothing is clipped (a CSS font-size would not tell it).
 *
 * A deck's slides are views of this app: moving to the next one is a client-side navigation (the same event a
 * dcc.Link sends), not a page load, and the next slide is opened in a hidden frame once this one is drawn, so its
 * figures are already in the server's response cache when the arrow key is pressed.
 */
(function () {
  "use strict";
  var MIN_TEXT_PX = 18;
  var PANEL_PX = 170; // a panel of a chart of several: its title, three ticks and its points
  var PHONE_PX = 576; // Bootstrap's "sm": narrower than this is a phone held upright
  var FRAME = window.self !== window.top; // the hidden frame that fetches the next slide ahead
  var applied = new WeakMap(); // layout object -> the values it had before presentation mode changed them
  var deckCache = {};

  function params() { return new URLSearchParams(window.location.search); }
  function presenting() { return params().get("present") === "1"; }

  /* ---------- charts ---------- */

  function get(obj, path) {
    return path.split(".").reduce(function (o, k) { return o == null ? undefined : o[k]; }, obj);
  }

  function bigger(size) { return typeof size === "number" && size < MIN_TEXT_PX; }

  /* The least height at which every category of a vertical category axis keeps its own line of text, and each
     panel of a chart of several (one SPC chart per district) keeps room to be read. */
  function neededHeight(full) {
    var rows = 0;
    var axes = Object.keys(full).filter(function (k) { return /^yaxis\d*$/.test(k); });
    axes.forEach(function (k) {
      var ax = full[k];
      if (ax.type === "category" && ax._categories) { rows = Math.max(rows, ax._categories.length); }
    });
    var panels = axes.length > 1 ? axes.length * PANEL_PX : 0;
    return Math.max(rows * (MIN_TEXT_PX + 4), panels) + full.margin.t + full.margin.b + 40;
  }

  function fitHeight(gd) {
    var top = gd.getBoundingClientRect().top + window.scrollY;
    var bar = document.getElementById("deck-bar");
    var room = window.innerHeight - top - (bar ? bar.offsetHeight : 44) - 16;
    if (top >= window.innerHeight || room < 260) { return null; } // not on the first screen: keep its height
    return Math.round(Math.max(room, neededHeight(gd._fullLayout)));
  }

  /* An axis's own title, from the figure (plotly's full layout holds a "Click to enter..." placeholder instead
     when there is none). */
  function axisTitle(gd, axis) {
    var title = get(gd.layout, axis + ".title");
    var text = typeof title === "string" ? title : get(gd.layout, axis + ".title.text");
    return typeof text === "string" ? text : "";
  }

  /* A long vertical axis title on two lines, broken at the space nearest its middle, so it is never cut off. */
  function twoLines(text) {
    var middle = text.length / 2, best = -1;
    for (var i = 0; i < text.length; i++) {
      if (text[i] === " " && (best < 0 || Math.abs(i - middle) < Math.abs(best - middle))) { best = i; }
    }
    return best < 0 ? text : text.slice(0, best) + "<br>" + text.slice(best + 1);
  }

  /* The layout and trace changes that make one drawn chart readable on a projector. */
  function presentationChanges(gd) {
    var full = gd._fullLayout, layout = {}, traces = {};
    if (!full) { return null; }
    [["font.size", full.font], ["legend.font.size", full.legend && full.legend.font],
     ["hoverlabel.font.size", full.hoverlabel && full.hoverlabel.font],
     ["title.font.size", full.title && full.title.text && full.title.font],
     ["legend.title.font.size", full.legend && full.legend.title && full.legend.title.text && full.legend.title.font]
    ].forEach(function (pair) {
      if (pair[1] && bigger(pair[1].size)) { layout[pair[0]] = MIN_TEXT_PX; }
    });
    Object.keys(full).filter(function (k) { return /^[xy]axis\d*$/.test(k); }).forEach(function (axis) {
      var ax = full[axis];
      if (ax.tickfont && bigger(ax.tickfont.size)) { layout[axis + ".tickfont.size"] = MIN_TEXT_PX; }
      if (axisTitle(gd, axis) && ax.title && ax.title.font && bigger(ax.title.font.size)) {
        layout[axis + ".title.font.size"] = MIN_TEXT_PX;
      }
      if (!ax.automargin) { layout[axis + ".automargin"] = true; }
    });
    Object.keys(full).filter(function (k) { return /^yaxis\d*$/.test(k); }).forEach(function (axis) {
      var text = axisTitle(gd, axis);
      if (text.length > 24 && text.indexOf("<br>") < 0) { layout[axis + ".title.text"] = twoLines(text); }
    });
    (full.annotations || []).forEach(function (a, i) {
      if (a.font && bigger(a.font.size)) { layout["annotations[" + i + "].font.size"] = MIN_TEXT_PX; }
    });
    var height = fitHeight(gd);
    if (height && height < (full.height || Infinity)) { layout.height = height; }
    (gd._fullData || []).forEach(function (trace, i) {
      ["textfont", "insidetextfont", "outsidetextfont"].forEach(function (key) {
        var font = trace[key];
        if (font && (bigger(font.size) || (Array.isArray(font.size) && font.size.some(bigger)))) {
          (traces[key + ".size"] = traces[key + ".size"] || {})[i] = MIN_TEXT_PX;
        }
      });
      if (trace.colorbar && trace.colorbar.tickfont && bigger(trace.colorbar.tickfont.size)) {
        (traces["colorbar.tickfont.size"] = traces["colorbar.tickfont.size"] || {})[i] = MIN_TEXT_PX;
      }
    });
    return { layout: layout, traces: traces };
  }

  /* On a phone: fewer labels on a category axis of periods, slanted, so "2018-19 Q1" never runs into the next;
     long axis titles on two lines, so they fit the narrow chart. */
  function phoneChanges(gd) {
    var full = gd._fullLayout, layout = {};
    if (!full) { return null; }
    Object.keys(full).filter(function (k) { return /^[xy]axis\d*$/.test(k); }).forEach(function (axis) {
      var text = axisTitle(gd, axis);
      if (text.length > 24 && text.indexOf("<br>") < 0) {
        layout[axis + ".title.text"] = twoLines(text);
        layout[axis + ".automargin"] = true;
      }
    });
    Object.keys(full).filter(function (k) { return /^xaxis\d*$/.test(k); }).forEach(function (axis) {
      var ax = full[axis];
      if (ax.type === "category" && (ax._categories || []).length > 4) {
        layout[axis + ".nticks"] = 6;
        layout[axis + ".tickangle"] = -45;
        layout[axis + ".automargin"] = true;
      }
    });
    return { layout: layout, traces: {} };
  }

  function phone() { return window.innerWidth < PHONE_PX; }
  function adapting() { return presenting() || phone(); }

  function enlarge(gd) {
    if (!window.Plotly || !gd.layout || applied.has(gd.layout) || !adapting()) { return; }
    var changes = presenting() ? presentationChanges(gd) : phoneChanges(gd);
    if (!changes) { return; }
    var before = { layout: {}, traces: {} };
    Object.keys(changes.layout).forEach(function (k) {
      var v = get(gd.layout, k);
      before.layout[k] = v === undefined ? null : v;
    });
    Object.keys(changes.traces).forEach(function (k) {
      before.traces[k] = Object.keys(changes.traces[k]).map(function (i) {
        var v = get(gd.data[i], k);
        return [Number(i), v === undefined ? null : v];
      });
    });
    applied.set(gd.layout, before);
    Object.keys(changes.traces).forEach(function (k) {
      Object.keys(changes.traces[k]).forEach(function (i) {
        var update = {}; update[k] = MIN_TEXT_PX; window.Plotly.restyle(gd, update, [Number(i)]);
      });
    });
    if (Object.keys(changes.layout).length) { window.Plotly.relayout(gd, changes.layout); }
    gd._presentedLayout = gd.layout; // what tests and screenshots wait for: this very figure re-laid out
    if (presenting()) { gd.setAttribute("data-present", "1"); }
  }

  function restore(gd) {
    var before = gd.layout && applied.get(gd.layout);
    if (!before || !window.Plotly) { return; }
    applied.delete(gd.layout);
    Object.keys(before.traces).forEach(function (k) {
      before.traces[k].forEach(function (pair) {
        var update = {}; update[k] = pair[1]; window.Plotly.restyle(gd, update, [pair[0]]);
      });
    });
    window.Plotly.relayout(gd, before.layout);
    gd.removeAttribute("data-present");
  }

  function hook(gd) {
    if (gd._presentHooked || typeof gd.on !== "function") { return; }
    gd._presentHooked = true;
    gd.on("plotly_afterplot", function () { if (adapting()) { enlarge(gd); } });
    if (adapting() && gd._fullLayout) { enlarge(gd); }
  }

  function eachGraph(fn) { document.querySelectorAll(".js-plotly-plot").forEach(fn); }

  /* ---------- the mode itself ---------- */

  var wasOn = null;
  function apply() {
    var on = presenting();
    document.body.classList.toggle("present", on);
    var toggle = document.getElementById("present-toggle");
    if (toggle) { toggle.setAttribute("aria-pressed", on ? "true" : "false"); }
    eachGraph(hook);
    if (on !== wasOn) {  // into or out of presentation mode: every chart laid out again for where it is shown
      eachGraph(function (gd) { restore(gd); enlarge(gd); });
      wasOn = on;
    }
    showDeck();
  }

  function setPresent(on) {
    var p = params();
    if (on) { p.set("present", "1"); } else { p.delete("present"); p.delete("deck"); p.delete("slide"); }
    var search = p.toString();
    window.history.replaceState(window.history.state, "", window.location.pathname + (search ? "?" + search : ""));
  }

  /* ---------- meeting decks ---------- */

  function loadDeck(id) {
    if (!deckCache[id]) {
      deckCache[id] = fetch("/api/v1/decks/" + encodeURIComponent(id), { credentials: "same-origin" })
        .then(function (r) { if (!r.ok) { throw new Error("no deck"); } return r.json(); });
    }
    return deckCache[id];
  }

  function element(tag, attrs, text) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { el.setAttribute(k, attrs[k]); });
    if (text) { el.textContent = text; }
    return el;
  }

  function removeDeckUi() {
    ["deck-bar", "deck-end", "deck-prefetch"].forEach(function (id) {
      var el = document.getElementById(id); if (el) { el.remove(); }
    });
    document.body.classList.remove("deck-ended");
  }

  var shownFor = null;
  function showDeck() {
    var p = params(), id = p.get("deck");
    if (FRAME || !presenting() || !id) { removeDeckUi(); shownFor = null; return; }
    var slide = parseInt(p.get("slide") || "0", 10), key = id + ":" + slide;
    if (shownFor === key && document.getElementById("deck-bar")) { return; }
    shownFor = key;
    loadDeck(id).then(function (deck) {
      var total = deck.items.length;
      var bar = document.getElementById("deck-bar") || document.body.appendChild(
        element("nav", { id: "deck-bar", "aria-label": "Meeting deck" }));
      bar.innerHTML = "";
      bar.appendChild(element("span", { "class": "deck-name" }, deck.name));
      var title = deck.items[slide] ? deck.items[slide].title : "";
      bar.appendChild(element("span", { "class": "deck-slide-title" }, title));
      bar.appendChild(element("span", { "class": "deck-position", id: "deck-position", "aria-live": "polite" },
        "Slide " + (slide + 1) + " of " + total));
      var back = element("button", { type: "button", "class": "btn btn-light btn-sm", id: "deck-back",
        "aria-label": "Previous slide" }, "\u2190");
      var next = element("button", { type: "button", "class": "btn btn-light btn-sm", id: "deck-next",
        "aria-label": slide + 1 < total ? "Next slide" : "End of the deck" }, "\u2192");
      back.disabled = slide <= 0;
      bar.appendChild(back); bar.appendChild(next);
      prefetch(deck, slide + 1);
    }).catch(function () {  // a mistyped or deleted deck in the link: say so, never ignore it silently
      delete deckCache[id];
      var bar = document.getElementById("deck-bar") || document.body.appendChild(
        element("nav", { id: "deck-bar", "aria-label": "Meeting deck" }));
      bar.innerHTML = "";
      bar.appendChild(element("span", { "class": "deck-position", id: "deck-position", role: "status" },
        "There is no meeting deck " + id + ": this view is shown on its own, and the arrow keys do nothing."));
    });
  }

  /* Open the next slide in a hidden frame once this one has drawn, so its figures wait in the server's cache. */
  function prefetch(deck, index) {
    var old = document.getElementById("deck-prefetch");
    if (old) { old.remove(); }
    if (index >= deck.items.length) { return; }
    var start = function () {
      if (document.querySelector("[data-dash-is-loading='true']")) { window.setTimeout(start, 250); return; }
      var frame = element("iframe", { id: "deck-prefetch", src: deck.items[index].url, tabindex: "-1",
        "aria-hidden": "true", title: "Next slide, loading ahead" });
      document.body.appendChild(frame);
    };
    window.setTimeout(start, 500);
  }

  function navigate(url) {
    window.history.pushState({}, "", url);
    window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
    window.scrollTo(0, 0);
  }

  function showEnd(deck) {
    if (document.getElementById("deck-end")) { return; }
    var end = element("section", { id: "deck-end", role: "dialog", "aria-modal": "true", "aria-labelledby": "deck-end-title",
      tabindex: "-1" });
    end.appendChild(element("h2", { id: "deck-end-title" }, "End of the deck"));
    end.appendChild(element("p", {}, deck.name + ": " + deck.items.length + " slide" +
      (deck.items.length === 1 ? "" : "s") + " shown."));
    end.appendChild(element("p", {}, "Press \u2190 to go back to the last slide, or Escape to leave presentation mode."));
    document.body.appendChild(end);
    document.body.classList.add("deck-ended");
    end.focus();
  }

  function step(forward) {
    var p = params(), id = p.get("deck");
    if (!id) { return; }
    var slide = parseInt(p.get("slide") || "0", 10);
    loadDeck(id).then(function (deck) {
      var ended = document.getElementById("deck-end");
      if (ended) {
        if (!forward) { ended.remove(); document.body.classList.remove("deck-ended"); }
        return;
      }
      var next = slide + (forward ? 1 : -1);
      if (next >= deck.items.length) { showEnd(deck); return; }
      if (next >= 0) { navigate(deck.items[next].url); }
    }).catch(function () { /* no such deck: the bar already says so */ });
  }

  /* ---------- events ---------- */

  ["pushState", "replaceState"].forEach(function (name) {
    var original = window.history[name];
    window.history[name] = function () { var result = original.apply(this, arguments); apply(); return result; };
  });
  window.addEventListener("popstate", apply);
  document.addEventListener("DOMContentLoaded", apply);
  var scheduled = false;  // plotly and React change the page in bursts: look once per frame, not per change
  new MutationObserver(function () {
    if (scheduled) { return; }
    scheduled = true;
    window.requestAnimationFrame(function () {
      scheduled = false;
      eachGraph(hook);
      if (document.body && document.body.classList.contains("present") !== presenting()) { apply(); }
    });
  }).observe(document.documentElement, { childList: true, subtree: true });

  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target : event.target.parentElement;
    if (!target) { return; }
    if (target.closest("#present-toggle")) { event.preventDefault(); setPresent(!presenting()); return; }
    if (target.closest("#deck-back")) { step(false); return; }
    if (target.closest("#deck-next")) { step(true); return; }
    var add = target.closest("#add-to-deck");
    if (add) { add.href = "/decks?add=" + encodeURIComponent(window.location.pathname + window.location.search); }
  });

  document.addEventListener("keydown", function (event) {
    if (FRAME || !presenting()) { return; }
    if (event.target.closest && event.target.closest("input, textarea, select, .dash-dropdown, [role=listbox]")) { return; }
    if (event.key === "Escape") { removeDeckUi(); setPresent(false); return; }
    var forward = event.key === "ArrowRight" || event.key === "PageDown" || event.key === " ";
    var back = event.key === "ArrowLeft" || event.key === "PageUp";
    if (!params().get("deck") || !(forward || back)) { return; }
    event.preventDefault();
    step(forward);
  });
})();
