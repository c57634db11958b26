// The pipeline board. Dragging a card onto another column submits the card's own "Move"
// form, the same form its menu shows; htmx posts it and swaps in the re-rendered card, which
// this script then files under its new column. Without JavaScript the form posts and the
// page comes back with a message, so nothing here is needed to use the board.
(function () {
  "use strict";

  const board = document.getElementById("board");
  if (!board) {
    return;
  }
  let dragged = null;

  function say(text, isError) {
    const status = document.getElementById("board-status");
    if (status) {
      status.textContent = text;
      status.classList.toggle("is-error", Boolean(isError));
    }
  }

  function columnOf(stageId) {
    return board.querySelector('.board-cards[data-stage-id="' + stageId + '"]');
  }

  function bump(stageId, delta) {
    const badge = document.getElementById("stage-count-" + stageId);
    if (!badge) {
      return;
    }
    const count = parseInt(badge.textContent.replace(/\D/g, ""), 10) + delta;
    badge.textContent = count.toLocaleString("en-US");
    badge.setAttribute("aria-label", count + " applications");
  }

  function submitMove(card, stageId) {
    const form = card.querySelector(".card-menu form");
    form.querySelector('select[name="stage"]').value = stageId;
    card.classList.add("is-moving");
    say("Moving…");
    if (window.htmx) {
      form.requestSubmit();
    } else {
      form.submit();
    }
  }

  // Rejecting asks a reason: a card dropped on the rejected column, or sent there from its
  // Move menu, opens its own reject form instead of moving.
  function askReason(card) {
    const reject = card.querySelector(".card-reject");
    if (!reject) {
      return;
    }
    card.querySelector(".card-menu").open = true;
    reject.open = true;
    card.querySelector('select[name="stage"]').value = card.dataset.stageId;
    reject.querySelector('select[name="rejection_reason"]').focus();
    say(board.dataset.rejectPrompt);
  }

  function isRejected(stageId) {
    return Boolean(stageId) && stageId === board.dataset.rejectedStageId;
  }

  document.addEventListener(
    "submit",
    function (event) {
      const form = event.target;
      const card = form.closest && form.closest(".board-card");
      if (!card || !form.closest(".card-menu") || form.closest(".card-reject")) {
        return;
      }
      if (isRejected(form.querySelector('select[name="stage"]').value)) {
        event.preventDefault();
        event.stopPropagation();
        askReason(card);
      }
    },
    true,
  );

  function clearDropTargets() {
    board.querySelectorAll(".drag-over").forEach(function (column) {
      column.classList.remove("drag-over");
    });
  }

  board.addEventListener("dragstart", function (event) {
    const card = event.target.closest && event.target.closest(".board-card");
    if (!card) {
      return;
    }
    dragged = card;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.id);
    card.classList.add("dragging");
  });

  board.addEventListener("dragend", function () {
    if (dragged) {
      dragged.classList.remove("dragging");
    }
    dragged = null;
    clearDropTargets();
  });

  board.addEventListener("dragover", function (event) {
    const column = event.target.closest(".board-column");
    if (!column || !dragged) {
      return;
    }
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    if (!column.classList.contains("drag-over")) {
      clearDropTargets();
      column.classList.add("drag-over");
    }
  });

  board.addEventListener("dragleave", function (event) {
    const column = event.target.closest(".board-column");
    if (column && !column.contains(event.relatedTarget)) {
      column.classList.remove("drag-over");
    }
  });

  board.addEventListener("drop", function (event) {
    const column = event.target.closest(".board-column");
    if (!column) {
      return;
    }
    event.preventDefault();
    clearDropTargets();
    const card = dragged || document.getElementById(event.dataTransfer.getData("text/plain"));
    if (card && card.dataset.stageId !== column.dataset.stageId) {
      if (isRejected(column.dataset.stageId)) {
        askReason(card);
      } else {
        submitMove(card, column.dataset.stageId);
      }
    }
  });

  // A focused card opens its candidate page on Enter, like the link inside it.
  board.addEventListener("keydown", function (event) {
    const card = event.target;
    if (event.key === "Enter" && card.classList && card.classList.contains("board-card")) {
      window.location.assign(card.dataset.href);
    }
  });

  // A re-rendered card arrives where the old one was; file it under its new stage.
  document.body.addEventListener("htmx:afterSwap", function (event) {
    const card = event.target;
    if (!card.classList || !card.classList.contains("board-card")) {
      return;
    }
    const from = card.closest(".board-cards");
    const to = columnOf(card.dataset.stageId);
    if (from && to && from !== to) {
      to.prepend(card);
      bump(from.dataset.stageId, -1);
      bump(to.dataset.stageId, 1);
      card.focus();
    }
  });

  // A session that expired mid-way answers with the sign-in page: go there, then come back.
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    const reply = event.detail.xhr && event.detail.xhr.responseURL;
    if (reply && new URL(reply).pathname === "/accounts/login/") {
      event.detail.shouldSwap = false;
      const back = window.location.pathname + window.location.search;
      window.location.assign("/accounts/login/?next=" + encodeURIComponent(back));
    }
  });

  function moveFailed(event) {
    const card = event.detail.elt.closest && event.detail.elt.closest(".board-card");
    if (!card) {
      return;
    }
    card.classList.remove("is-moving");
    card.querySelector('select[name="stage"]').value = card.dataset.stageId;
    const reply = event.detail.xhr && event.detail.xhr.responseText;
    say(reply && reply.length < 300 ? reply : board.dataset.moveError, true);
  }
  document.body.addEventListener("htmx:responseError", moveFailed);
  document.body.addEventListener("htmx:sendError", moveFailed);

  // The action bar says how many cards are ticked.
  const counter = document.getElementById("selected-count");
  if (counter) {
    const idle = counter.textContent;
    document.addEventListener("change", function (event) {
      if (event.target.classList && event.target.classList.contains("card-select")) {
        const ticked = document.querySelectorAll(".card-select:checked").length;
        counter.textContent = ticked ? ticked + " selected:" : idle;
      }
    });
  }
})();
