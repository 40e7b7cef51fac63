/* "Sign in" comes back to the page it was clicked on. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("#sign-in-link");
    if (link) {
      link.href = "/login?next=" + encodeURIComponent(window.location.pathname + window.location.search);
    }
  });
})();
