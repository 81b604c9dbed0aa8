// Customer pages: duplicate warning, tab state. No inline scripts (the CSP forbids them).
(function () {
  "use strict";

  // Tabs of the customer card: mark the chosen tab as active when htmx swaps its content.
  function tabClicked(link) {
    var list = link.closest(".customer-tabs");
    if (!list) return;
    list.querySelectorAll("[data-tab-link]").forEach(function (other) {
      var active = other === link;
      other.classList.toggle("active", active);
      other.setAttribute("aria-selected", active ? "true" : "false");
      if (active) other.setAttribute("aria-current", "page");
      else other.removeAttribute("aria-current");
    });
  }

  // New customer form: warn about a possible duplicate (same NIP or e-mail) while typing.
  var duplicateTimer = null;
  function checkDuplicates(form) {
    var url = form.getAttribute("data-duplicate-url");
    var box = document.getElementById("duplicate-warning");
    if (!url || !box || !window.htmx) return;
    var params = new URLSearchParams();
    var nip = form.querySelector("[name=tax_id]");
    var email = form.querySelector("[name=email]");
    params.set("tax_id", nip ? nip.value : "");
    params.set("email", email ? email.value : "");
    if (form.getAttribute("data-exclude")) params.set("exclude", form.getAttribute("data-exclude"));
    window.htmx.ajax("GET", url + "?" + params.toString(), { target: box, swap: "innerHTML" });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-tab-link]");
    if (link) tabClicked(link);
  });
  document.addEventListener("input", function (event) {
    var el = event.target;
    if (!(el instanceof HTMLInputElement) || (el.name !== "tax_id" && el.name !== "email")) return;
    var form = el.closest("form[data-duplicate-url]");
    if (!form) return;
    clearTimeout(duplicateTimer);
    duplicateTimer = setTimeout(function () { checkDuplicates(form); }, 400);
  });
})();
