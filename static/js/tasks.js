// Task pages: the task board (category / state columns) and the calendar, both with
// drag and drop (static/js/board.js). No inline scripts: the CSP forbids them.
(function () {
  "use strict";

  function adjustCount(list, delta) {
    var column = list.closest(".pipeline-column");
    var counter = column ? column.querySelector("[data-count]") : null;
    if (counter) counter.textContent = String(parseInt(counter.textContent, 10) + delta);
  }

  // Cards marked data-locked (tasks the viewer may not change) cannot be picked up.
  var CARD_OPTIONS = { animation: 150, ghostClass: "deal-card-ghost", draggable: ".task-card:not([data-locked])" };

  function initBoard(board) {
    var by = board.getAttribute("data-by");
    var options = Object.assign({ group: "tasks" }, CARD_OPTIONS);
    window.imBoard.connect(board.querySelectorAll(".task-column"), options, function (evt) {
      var key = evt.to.getAttribute("data-key");
      var fields = by === "state" ? { state: key } : { category: key };
      var url = board.getAttribute("data-tasks-url") + evt.item.getAttribute("data-task") + "/board-move/";
      return window.imBoard.post(url, fields).then(function () {
        adjustCount(evt.from, -1);
        adjustCount(evt.to, 1);
        evt.item.classList.toggle("is-done", key === "done");
      });
    });
  }

  function initCalendar(calendar) {
    var options = Object.assign({ group: "calendar" }, CARD_OPTIONS);
    window.imBoard.connect(calendar.querySelectorAll(".calendar-tasks"), options, function (evt) {
      var url = calendar.getAttribute("data-tasks-url") + evt.item.getAttribute("data-task") + "/reschedule/";
      return window.imBoard.post(url, { date: evt.to.getAttribute("data-date") });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.imBoard) return;
    document.querySelectorAll(".task-board").forEach(initBoard);
    document.querySelectorAll(".calendar").forEach(initCalendar);
  });
})();
