/* A read-only company (trial ended unpaid): every write button is disabled before anyone
   clicks it, with a tooltip saying why. The server refuses such requests anyway
   (billing_saas/middleware.py); this only says so up front. Forms whose target is marked
   allowed_when_read_only (logout, language, billing, one's password: the body's
   data-read-only-allowed list) stay enabled. Write links carry data-write-action. */
(function () {
  "use strict";
  var body = document.body;
  var title = body.getAttribute("data-read-only");
  if (!title) return;
  var allowed = [];
  try { allowed = JSON.parse(body.getAttribute("data-read-only-allowed") || "[]"); } catch (e) { allowed = []; }

  function pathOf(url) {
    try { return new URL(url, window.location.href).pathname; } catch (e) { return ""; }
  }
  function disable(el) {
    if (el.hasAttribute("data-read-only-disabled")) return;
    el.setAttribute("data-read-only-disabled", "");
    el.setAttribute("aria-disabled", "true");
    el.setAttribute("title", title);
    el.classList.add("read-only-disabled");
    if ("disabled" in el) el.disabled = true;
    if (el.tagName === "A") el.setAttribute("tabindex", "-1");
  }
  function writeForm(form) {
    var method = (form.getAttribute("method") || "get").toLowerCase();
    if (method !== "post") return false;
    return allowed.indexOf(pathOf(form.getAttribute("action") || window.location.href)) === -1;
  }
  function apply(root) {
    root.querySelectorAll("form").forEach(function (form) {
      if (!writeForm(form)) return;
      form.setAttribute("title", title);
      form.setAttribute("data-read-only-form", "");
      form.querySelectorAll("button:not([type=button]):not([type=reset]), input[type=submit]").forEach(disable);
    });
    root.querySelectorAll("[data-write-action], [hx-post], [hx-put], [hx-patch], [hx-delete]").forEach(function (el) {
      if (el.tagName !== "FORM" && allowed.indexOf(pathOf(el.getAttribute("hx-post") || "")) === -1) disable(el);
    });
  }
  document.addEventListener("click", function (event) {
    var target = event.target.closest && event.target.closest("[data-read-only-disabled]");
    if (target) { event.preventDefault(); event.stopPropagation(); }
  }, true);
  document.addEventListener("submit", function (event) {
    if (event.target.hasAttribute && event.target.hasAttribute("data-read-only-form")) event.preventDefault();
  }, true);
  apply(document);
  document.body.addEventListener("htmx:afterSwap", function (event) { apply(event.target); });
})();
