// Home page settings: the layout table is reordered by dragging. No inline scripts (CSP).
(function () {
  "use strict";

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

  document.addEventListener("DOMContentLoaded", function () {
    sortableLayout(document);
  });
})();
