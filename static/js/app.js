// Site-wide behaviour without inline scripts (the CSP forbids them).
(function () {
  "use strict";

  // Colours and widths come from data attributes (inline styles are forbidden):
  // category chips and their dots (data-bg, data-color), board column borders (data-border-color), progress bars.
  function paint(root) {
    root.querySelectorAll("[data-color]").forEach(function (el) {
      el.style.backgroundColor = el.getAttribute("data-color");
    });
    root.querySelectorAll("[data-bg]").forEach(function (el) {
      el.style.backgroundColor = el.getAttribute("data-bg");
    });
    root.querySelectorAll("[data-border-color]").forEach(function (el) {
      el.style.borderTopColor = el.getAttribute("data-border-color");
    });
    root.querySelectorAll("[data-progress]").forEach(function (el) {
      el.style.width = Math.max(0, Math.min(100, parseInt(el.getAttribute("data-progress"), 10) || 0)) + "%";
    });
  }

  document.addEventListener("DOMContentLoaded", function () { paint(document); });
  // Every piece of content htmx puts on the page.
  document.addEventListener("htmx:load", function (event) {
    if (event.target instanceof Element) paint(event.target);
  });

  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el instanceof HTMLSelectElement && el.hasAttribute("data-autosubmit") && el.form) {
      el.form.submit();
    }
  });

  // A plain form that deletes something asks first (data-confirm-submit: the question).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.hasAttribute("data-confirm-submit") &&
        !window.confirm(form.getAttribute("data-confirm-submit"))) {
      event.preventDefault();
    }
  });
})();
