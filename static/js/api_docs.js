// /api/docs/: Swagger UI puts the operation's deep link inside the button that opens the
// operation (a control inside another, which screen readers cannot reach properly). The
// path stays as text; opening the operation still puts its deep link in the address bar.
(function () {
  function untab(root) {
    root.querySelectorAll(".opblock-summary-control a[href]").forEach(function (el) {
      el.removeAttribute("href");
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("swagger-ui");
    if (!root) return;
    untab(root);
    new MutationObserver(function () { untab(root); }).observe(root, { childList: true, subtree: true });
  });
})();
