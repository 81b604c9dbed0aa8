// Bulk actions on lists (crm/bulk): ticking rows shows the sticky action bar; the
// header box ticks every row of the page; the action picks which value field shows.
(function () {
  "use strict";
  if (window.imcrmBulk) return; // the bar may be swapped in again by htmx
  window.imcrmBulk = true;

  function rows(key) {
    return Array.prototype.slice.call(document.querySelectorAll('[data-bulk-row="' + key + '"]'));
  }

  function refresh(key) {
    var bar = document.querySelector('[data-bulk-bar="' + key + '"]');
    if (!bar) return;
    var ticked = rows(key).filter(function (box) { return box.checked; }).length;
    bar.classList.toggle("d-none", ticked === 0);
    var count = bar.querySelector("[data-bulk-count]");
    if (count) count.textContent = count.dataset.label + " " + String(ticked);
    var all = document.querySelector('[data-bulk-all="' + key + '"]');
    if (all) {
      var total = rows(key).length;
      all.checked = total > 0 && ticked === total;
      all.indeterminate = ticked > 0 && ticked < total;
    }
  }

  function showFields(bar) {
    var action = bar.querySelector("[data-bulk-action]").value;
    bar.querySelectorAll("[data-bulk-for]").forEach(function (span) {
      var wanted = span.dataset.bulkFor.split(" ").indexOf(action) !== -1;
      span.classList.toggle("d-none", !wanted);
      span.querySelectorAll("select, input").forEach(function (field) { field.disabled = !wanted; });
    });
  }

  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches("[data-bulk-all]")) {
      rows(el.dataset.bulkAll).forEach(function (box) { box.checked = el.checked; });
      refresh(el.dataset.bulkAll);
    } else if (el.matches("[data-bulk-row]")) {
      refresh(el.dataset.bulkRow);
    } else if (el.matches("[data-bulk-action]")) {
      showFields(el.closest("[data-bulk-bar]"));
    }
  });

  document.addEventListener("click", function (event) {
    var clear = event.target.closest("[data-bulk-clear]");
    if (!clear) return;
    var key = clear.closest("[data-bulk-bar]").dataset.bulkBar;
    rows(key).forEach(function (box) { box.checked = false; });
    refresh(key);
  });

  document.addEventListener("submit", function (event) {
    var bar = event.target.closest("[data-bulk-bar]");
    if (!bar) return;
    var action = bar.querySelector("[data-bulk-action]").value;
    if (action === "delete" && !window.confirm(bar.dataset.confirm)) event.preventDefault();
  });

  function init() {
    document.querySelectorAll("[data-bulk-bar]").forEach(function (bar) {
      showFields(bar);
      refresh(bar.dataset.bulkBar);
    });
  }
  init();
  document.body.addEventListener("htmx:afterSwap", init);
})();
