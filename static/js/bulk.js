// Bulk actions on lists (crm/bulk): ticking rows shows the sticky action bar; the
// header box ticks every row of the page (then the bar offers every row matching the
// list's filters); the action picks which value field shows.
(function () {
  "use strict";
  if (window.imcrmBulk) return; // the bar may be swapped in again by htmx
  window.imcrmBulk = true;

  function rows(key) {
    return Array.prototype.slice.call(document.querySelectorAll('[data-bulk-row="' + key + '"]'));
  }

  // "All matching": the action goes to every row of the list's filters (all pages), which
  // the bar offers once the whole page is ticked; unticking a row leaves that mode.
  function setMatching(bar, on) {
    var field = bar.querySelector("[data-bulk-matching]");
    if (field) field.value = on ? "1" : "";
  }

  function matching(bar) {
    var field = bar.querySelector("[data-bulk-matching]");
    return Boolean(field && field.value === "1");
  }

  function refresh(key) {
    var bar = document.querySelector('[data-bulk-bar="' + key + '"]');
    if (!bar) return;
    var total = rows(key).length;
    var ticked = rows(key).filter(function (box) { return box.checked; }).length;
    var whole = total > 0 && ticked === total;
    if (!whole) setMatching(bar, false);
    bar.classList.toggle("d-none", ticked === 0);
    var count = bar.querySelector("[data-bulk-count]");
    if (count) {
      count.textContent = matching(bar) ? count.dataset.labelMatching : count.dataset.label + " " + String(ticked);
    }
    var more = bar.querySelector("[data-bulk-more]");
    if (more) more.hidden = !whole || matching(bar);
    var all = document.querySelector('[data-bulk-all="' + key + '"]');
    if (all) {
      all.checked = whole;
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
    var select = event.target.closest("[data-bulk-select-matching]");
    if (select) {
      var selectBar = select.closest("[data-bulk-bar]");
      setMatching(selectBar, true);
      refresh(selectBar.dataset.bulkBar);
      return;
    }
    var clear = event.target.closest("[data-bulk-clear]");
    if (!clear) return;
    var bar = clear.closest("[data-bulk-bar]");
    var key = bar.dataset.bulkBar;
    setMatching(bar, false);
    rows(key).forEach(function (box) { box.checked = false; });
    refresh(key);
  });

  document.addEventListener("submit", function (event) {
    var bar = event.target.closest("[data-bulk-bar]");
    if (!bar) return;
    var action = bar.querySelector("[data-bulk-action]").value;
    var question = matching(bar) ? bar.dataset.confirmMatching : bar.dataset.confirm;
    if (action === "delete" && !window.confirm(question)) event.preventDefault();
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
