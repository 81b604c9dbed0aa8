// Task pages: the task board (category / state columns) and the
// calendar, both with SortableJS drag and drop. No inline scripts: the CSP forbids them.
(function () {
  "use strict";

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

  function putBack(evt) {
    var reference = evt.from.children[evt.oldIndex] || null;
    evt.from.insertBefore(evt.item, reference);
  }

  function post(url, fields) {
    var body = new URLSearchParams();
    Object.keys(fields).forEach(function (key) { body.set(key, fields[key]); });
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Content-Type": "application/x-www-form-urlencoded" },
      body: body.toString(),
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok || !data.ok) throw new Error(data.error || response.statusText);
        return data;
      });
    });
  }

  function adjustCount(list, delta) {
    var column = list.closest(".pipeline-column");
    var counter = column ? column.querySelector("[data-count]") : null;
    if (counter) counter.textContent = String(parseInt(counter.textContent, 10) + delta);
  }

  function initBoard(board) {
    var by = board.getAttribute("data-by");
    board.querySelectorAll(".task-column").forEach(function (list) {
      window.Sortable.create(list, {
        group: "tasks",
        sort: false,
        animation: 150,
        ghostClass: "deal-card-ghost",
        onAdd: function (evt) {
          hideAlert();
          var key = evt.to.getAttribute("data-key");
          var fields = by === "state" ? { state: key } : { category: key };
          post(board.getAttribute("data-tasks-url") + evt.item.getAttribute("data-task") + "/board-move/", fields)
            .then(function () {
              adjustCount(evt.from, -1);
              adjustCount(evt.to, 1);
              evt.item.classList.toggle("is-done", key === "done");
            })
            .catch(function (error) { putBack(evt); showAlert(error.message); });
        },
      });
    });
  }

  function initCalendar(calendar) {
    calendar.querySelectorAll(".calendar-tasks").forEach(function (list) {
      window.Sortable.create(list, {
        group: "calendar",
        sort: false,
        animation: 150,
        ghostClass: "deal-card-ghost",
        onAdd: function (evt) {
          hideAlert();
          var url = calendar.getAttribute("data-tasks-url") + evt.item.getAttribute("data-task") + "/reschedule/";
          post(url, { date: evt.to.getAttribute("data-date") })
            .catch(function (error) { putBack(evt); showAlert(error.message); });
        },
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof window.Sortable === "undefined") return;
    document.querySelectorAll(".task-board").forEach(initBoard);
    document.querySelectorAll(".calendar").forEach(initCalendar);
  });
})();
