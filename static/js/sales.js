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

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function showAlert(message) {
    var box = document.getElementById("board-alert");
    if (!box) return;
    box.textContent = message;
    box.classList.remove("d-none");
  }

  function hideAlert() {
    var box = document.getElementById("board-alert");
    if (box) box.classList.add("d-none");
  }

  function updateColumns(columns) {
    document.querySelectorAll(".pipeline-column").forEach(function (column) {
      var figures = columns[column.getAttribute("data-column")];
      if (!figures) return;
      column.querySelector("[data-count]").textContent = figures.count;
      column.querySelector("[data-total]").textContent = figures.total;
    });
  }

  function putBack(evt) {
    var reference = evt.from.children[evt.oldIndex] || null;
    evt.from.insertBefore(evt.item, reference);
  }

  function postMove(item, fields) {
    var board = document.querySelector(".pipeline");
    var body = new URLSearchParams(board.getAttribute("data-filter-query") || "");
    Object.keys(fields).forEach(function (key) { body.set(key, fields[key]); });
    board.classList.add("is-saving");
    var url = board.getAttribute("data-deals-url") + item.getAttribute("data-deal") + "/move/";
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Content-Type": "application/x-www-form-urlencoded" },
      body: body.toString(),
    })
      .then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok || !data.ok) throw new Error(data.error || response.statusText);
          return data;
        });
      })
      .finally(function () { board.classList.remove("is-saving"); });
  }

  function onStageDrop(evt) {
    hideAlert();
    postMove(evt.item, { stage: evt.to.getAttribute("data-stage") })
      .then(function (data) { updateColumns(data.columns); })
      .catch(function (error) { putBack(evt); showAlert(error.message); });
  }

  function onStatusDrop(evt) {
    hideAlert();
    var zone = evt.to;
    var code = zone.getAttribute("data-code");
    var fields = { status: zone.getAttribute("data-status") };
    var finish = function () {
      postMove(evt.item, fields)
        .then(function (data) { evt.item.remove(); updateColumns(data.columns); })
        .catch(function (error) { putBack(evt); showAlert(error.message); });
    };
    if (code !== "won" && code !== "lost") { finish(); return; }
    askReason(code, function (reason) {
      if (reason === null) { putBack(evt); return; }
      fields[code === "won" ? "win_reason" : "loss_reason"] = reason;
      finish();
    });
  }

  // The reason modal: calls done(reasonId) on submit or done(null) when dismissed.
  function askReason(code, done) {
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
  }

  function initBoard() {
    if (typeof window.Sortable === "undefined") return;
    document.querySelectorAll(".pipeline-cards").forEach(function (list) {
      window.Sortable.create(list, {
        group: "deals",
        draggable: ".deal-card",
        sort: false,
        animation: 150,
        ghostClass: "deal-card-ghost",
        dragClass: "deal-card-drag",
        onAdd: onStageDrop,
      });
    });
    document.querySelectorAll(".dropzone").forEach(function (zone) {
      window.Sortable.create(zone, {
        group: { name: "deals", pull: false, put: true },
        draggable: ".deal-card",
        sort: false,
        emptyInsertThreshold: 40,
        onAdd: onStatusDrop,
      });
    });
  }

  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el instanceof HTMLSelectElement && el.querySelector("option[data-code]")) syncReasonFields(el);
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("select").forEach(function (select) {
      if (select.querySelector("option[data-code]")) syncReasonFields(select);
    });
    initBoard();
  });
})();
