/* dcc.Upload renders its file input without a label: give it the drop zone's words, so screen readers name it
   (it is the keyboard's way in, too: Tab reaches it and Enter opens the file chooser). */
(function () {
  "use strict";
  function label() {
    document.querySelectorAll(".upload-drop input[type=file]:not([aria-label])").forEach(function (input) {
      input.setAttribute("aria-label", (input.parentElement.innerText || "Choose a file").trim());
    });
  }
  new MutationObserver(label).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", label);
})();
