// Dashboard, reports and home page settings. No inline scripts (CSP): colours of
// category chips come from data-color, the layout table is reordered by dragging.
(function () {
  "use strict";
  var HEX = /^#[0-9a-fA-F]{6}$/;

  function paintColours(root) {
    root.querySelectorAll("[data-color]").forEach(function (el) {
      var value = el.getAttribute("data-color");
      if (HEX.test(value)) {
        el.style.backgroundColor = value;
      }
    });
  }

  function renumber(tbody) {
    tbody.querySelectorAll("tr").forEach(function (row, index) {
      var input = row.querySelector("input[data-pos]");
      if (input) {
        input.value = String(index + 1);
      }
    });
  }

  function sortableLayout(root) {
    if (typeof Sortable === "undefined") {
      return;
    }
    root.querySelectorAll("[data-sortable-layout]").forEach(function (tbody) {
      if (tbody.dataset.sortableReady) {
        return;
      }
      tbody.dataset.sortableReady = "1";
      Sortable.create(tbody, {
        handle: ".drag-handle",
        animation: 120,
        onEnd: function () {
          renumber(tbody);
        },
      });
    });
  }

  function init(root) {
    paintColours(root);
    sortableLayout(root);
  }

  document.addEventListener("DOMContentLoaded", function () {
    init(document);
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    init(event.detail.target.parentNode || document);
  });
})();
