/* The header's "Menu" button on a phone (opens and closes the navigation, and closes it after a choice), and the
   "Copy link" button, whose words copy as well as its icon (dcc.Clipboard listens on its icon only). */
(function () {
  "use strict";
  function setOpen(header, button, open) {
    header.classList.toggle("nav-open", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }
  function copyLink(button) {
    var icon = button.querySelector("#copy-link");
    if (icon) { icon.click(); }
  }
  document.addEventListener("keydown", function (event) {
    var button = event.target.closest && event.target.closest(".copy-link");
    if (button && (event.key === "Enter" || event.key === " ")) { event.preventDefault(); copyLink(button); }
  });
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target : event.target.parentElement;
    var copy = target && target.closest(".copy-link");
    if (copy && !target.closest("#copy-link")) { copyLink(copy); return; }
    var header = target && target.closest(".site-header");
    var button = document.getElementById("nav-toggle");
    if (!header || !button) { return; }
    if (target.closest("#nav-toggle")) { setOpen(header, button, !header.classList.contains("nav-open")); return; }
    if (target.closest(".main-nav a")) { setOpen(header, button, false); }
  });
})();
