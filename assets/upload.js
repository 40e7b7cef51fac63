/* The upload page's small browser-side helps.
   1. dcc.Upload renders its file input without a label: give it the drop zone's words, so screen readers name it
      (it is the keyboard's way in, too: Tab reaches it and Enter opens the file chooser).
   2. A file over the upload limit is dropped by dcc.Upload without a word (the callback never hears of it): say so
      where the chosen file's name would be. The server refuses such a file too, whoever sends it.
   3. When an Undo button opens the question "Undo import 7?", move the focus to it, so that keyboard and screen
      reader users hear what will happen (the question sits above the history, maybe off screen). */
(function () {
  "use strict";

  function label() {
    document.querySelectorAll(".upload-drop input[type=file]:not([aria-label])").forEach(function (input) {
      input.setAttribute("aria-label", (input.parentElement.innerText || "Choose a file").trim());
    });
  }

  function megabytes(bytes) {
    return Math.round(bytes / (1024 * 1024)).toLocaleString("en-GB");
  }

  function checkSize(files) {
    var zone = document.querySelector("[data-max-bytes]");
    var chosen = document.getElementById("upload-chosen");
    if (!zone || !chosen || !files || !files.length) return;
    var limit = Number(zone.getAttribute("data-max-bytes"));
    var file = files[0];
    if (limit > 0 && file.size > limit) {
      chosen.textContent =
        file.name + " is " + megabytes(file.size) + " MB: files up to " + megabytes(limit) +
        " MB can be uploaded. Split it (by year, or by area) and load the parts.";
    }
  }

  document.addEventListener(
    "change",
    function (event) {
      if (event.target.matches && event.target.matches(".upload-drop input[type=file]")) checkSize(event.target.files);
    },
    true
  );
  document.addEventListener(
    "drop",
    function (event) {
      if (event.target.closest && event.target.closest(".upload-drop") && event.dataTransfer) {
        checkSize(event.dataTransfer.files);
      }
    },
    true
  );

  var askedAbout = "";
  function focusQuestion() {
    var panel = document.getElementById("upload-undo-panel");
    var asked = panel && !panel.hidden ? panel.innerText : "";
    if (asked && asked !== askedAbout) panel.focus();
    askedAbout = asked;
  }

  new MutationObserver(function () {
    label();
    focusQuestion();
  }).observe(document.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: ["hidden"] });
  document.addEventListener("DOMContentLoaded", label);
})();
