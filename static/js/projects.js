// Project card: drag a milestone (Sortable) and its new place is saved through the
// same URL the arrow buttons post to; when the server refuses, the page reloads.
(function () {
  "use strict";

  function sortableMilestones(root) {
    if (typeof window.Sortable === "undefined" || !window.imBoard) return;
    root.querySelectorAll("[data-sortable-list]").forEach(function (list) {
      if (list.dataset.sortable) return;
      list.dataset.sortable = "1";
      window.Sortable.create(list, {
        animation: 150,
        handle: ".drag-handle",
        onUpdate: function (evt) {
          window.imBoard
            .post(evt.item.dataset.moveUrl, { position: String(evt.newIndex + 1), format: "json" })
            .then(function () { window.location.reload(); })
            .catch(function () { window.location.reload(); });
        },
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    sortableMilestones(document);
  });
})();
