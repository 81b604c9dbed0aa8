// Sales pages: status-dependent reason fields and the pipeline board
// (SortableJS drag and drop). No inline scripts: the CSP forbids them.
(function () {
  "use strict";

  // Show the win-reason field only for Wygrane and the loss-reason field only for Przegrane.
  function syncReasonFields(select) {
    var form = select.form;
    if (!form) return;
    var option = select.options[select.selectedIndex];
    var code = option ? option.getAttribute("data-code") : "";
    form.querySelectorAll("[data-field-group]").forEach(function (group) {
      var wanted = group.getAttribute("data-field-group") === code;
      var hasError = group.querySelector(".invalid-feedback");
      group.classList.toggle("d-none", !wanted && !hasError);
    });
  }

  function updateColumns(columns) {
    document.querySelectorAll(".pipeline-column").forEach(function (column) {
      var figures = columns[column.getAttribute("data-column")];
      if (!figures) return;
      column.querySelector("[data-count]").textContent = figures.count;
      column.querySelector("[data-total]").textContent = figures.total;
    });
  }

  // The move is posted with the board's filters, so the answer's column figures match the board.
  function postMove(item, fields) {
    var board = document.querySelector(".pipeline");
    var body = new URLSearchParams(board.getAttribute("data-filter-query") || "");
    Object.keys(fields).forEach(function (key) { body.set(key, fields[key]); });
    board.classList.add("is-saving");
    var url = board.getAttribute("data-deals-url") + item.getAttribute("data-deal") + "/move/";
    return window.imBoard.post(url, body).finally(function () { board.classList.remove("is-saving"); });
  }

  function onStageDrop(evt) {
    return postMove(evt.item, { stage: evt.to.getAttribute("data-stage") })
      .then(function (data) { updateColumns(data.columns); });
  }

  function onStatusDrop(evt) {
    var zone = evt.to;
    var code = zone.getAttribute("data-code");
    var fields = { status: zone.getAttribute("data-status") };
    var reason = code === "won" || code === "lost" ? askReason(code) : Promise.resolve(null);
    return reason.then(function (chosen) {
      if (code === "won" || code === "lost") {
        if (chosen === null) return Promise.reject(null); // dismissed: the card goes back silently
        fields[code === "won" ? "win_reason" : "loss_reason"] = chosen;
      }
      return postMove(evt.item, fields).then(function (data) { evt.item.remove(); updateColumns(data.columns); });
    });
  }

  // The reason modal: resolves with the chosen reason id, or with null when dismissed.
  function askReason(code) {
    return new Promise(function (done) {
      var modalEl = document.getElementById("reason-modal");
      var form = document.getElementById("reason-form");
      modalEl.querySelectorAll("[data-reason]").forEach(function (block) {
        block.classList.toggle("d-none", block.getAttribute("data-reason") !== code);
      });
      var answered = false;
      var modal = window.bootstrap.Modal.getOrCreateInstance(modalEl);
      form.onsubmit = function (event) {
        event.preventDefault();
        answered = true;
        var select = form.querySelector("[data-reason='" + code + "'] select");
        modal.hide();
        done(select.value);
      };
      modalEl.addEventListener("hidden.bs.modal", function onHidden() {
        modalEl.removeEventListener("hidden.bs.modal", onHidden);
        if (!answered) done(null);
      });
      modal.show();
    });
  }

  // The deal form offers only the stages of the chosen pipeline; a stage left from another
  // pipeline gives way to the first stage of the new one.
  function syncStages(pipelineSelect) {
    var form = pipelineSelect.form;
    var stage = form && form.querySelector("select[name='stage']");
    if (!stage) return;
    var wanted = pipelineSelect.value;
    var firstFit = null;
    Array.prototype.forEach.call(stage.options, function (option) {
      var of = option.getAttribute("data-pipeline");
      var fits = of === null || of === wanted;
      option.hidden = !fits;
      option.disabled = !fits;
      if (fits && of !== null && firstFit === null) firstFit = option;
    });
    var current = stage.options[stage.selectedIndex];
    if (current && current.disabled && firstFit) firstFit.selected = true;
  }

  // Cards marked data-locked (deals the viewer may not change) cannot be picked up.
  var MOVABLE = ".deal-card:not([data-locked])";

  function initBoard() {
    window.imBoard.connect(document.querySelectorAll(".pipeline-cards"), {
      group: "deals",
      draggable: MOVABLE,
      animation: 150,
      ghostClass: "deal-card-ghost",
      dragClass: "deal-card-drag",
    }, onStageDrop);
    window.imBoard.connect(document.querySelectorAll(".dropzone"), {
      group: { name: "deals", pull: false, put: true },
      draggable: MOVABLE,
      emptyInsertThreshold: 40,
    }, onStatusDrop);
  }

  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el instanceof HTMLSelectElement && el.querySelector("option[data-code]")) syncReasonFields(el);
    if (el instanceof HTMLSelectElement && el.hasAttribute("data-pipeline-select")) syncStages(el);
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("select").forEach(function (select) {
      if (select.querySelector("option[data-code]")) syncReasonFields(select);
      if (select.hasAttribute("data-pipeline-select")) syncStages(select);
    });
    if (window.imBoard) initBoard();
  });
})();
