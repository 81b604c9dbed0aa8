// The leads board (crm/leads/templates/leads/lead_board.html): a card dropped on another
// status column is saved through its data-move-url; "lost" asks for the reason first.
// A converted lead's card (data-locked) does not move: conversion happens on the card.
(function () {
  "use strict";

  function start() {
    var board = document.querySelector("[data-testid=lead-board]");
    if (!board || !window.imBoard) return;
    var lists = board.querySelectorAll(".pipeline-cards");
    window.imBoard.connect(
      lists,
      { group: "leads", draggable: ".deal-card:not([data-locked])", animation: 150, ghostClass: "deal-card-ghost", dragClass: "deal-card-drag" },
      function (evt) {
        var target = evt.to;
        var fields = { status: target.getAttribute("data-status") };
        if (target.getAttribute("data-code") === "lost") {
          var reason = window.prompt(board.getAttribute("data-lost-prompt") || "");
          if (reason === null) return Promise.reject(null);
          fields.lost_reason = reason;
        }
        return window.imBoard.post(evt.item.getAttribute("data-move-url"), fields).then(function () {
          [evt.from, evt.to].forEach(function (list) {
            var counter = list.parentElement.querySelector("[data-count]");
            if (counter) counter.textContent = String(list.children.length);
          });
        });
      }
    );
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
