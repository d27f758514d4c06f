// The live meeting page (issue 15). Updates morph #live in place (idiomorph,
// static/vendor), so focus, a pressed button and the scroll stay. This file:
// - keeps what a person is typing or choosing in a form, and a section they
//   opened, across updates (the server does not know them);
// - says once, in a polite live region, what changed ("Motion seconded",
//   "Voting is open", "Adopted 14–3"): the fragment lists its news with keys
//   (`ul.news`) and only keys not heard before are read;
// - clears a form once the server took what it sent.
(function () {
  "use strict";
  var edited = new WeakSet();
  var heard = new Set();

  function isEdited(node) {
    var field = node.closest ? node.closest("input, select, textarea") : null;
    return field !== null && edited.has(field);
  }

  document.addEventListener("input", function (event) {
    if (event.target.closest && event.target.closest("#live form")) {
      edited.add(event.target);
    }
  });
  document.addEventListener("change", function (event) {
    if (event.target.closest && event.target.closest("#live form")) {
      edited.add(event.target);
    }
    // Amending an adopted decision starts from the wording of the one chosen.
    var option = event.target.selectedOptions && event.target.selectedOptions[0];
    if (event.target.name === "applies_to" && option && "wording" in option.dataset) {
      var form = event.target.form;
      [["text", option.dataset.wording], ["amount", option.dataset.amount]].forEach(
        function (pair) {
          var field = form.elements[pair[0]];
          if (field && !edited.has(field)) {
            field.value = pair[1];
            edited.add(field); // chosen by the person: updates keep it
          }
        },
      );
    }
  });

  function news() {
    var items = document.querySelectorAll("#live ul.news li[data-key]");
    var fresh = [];
    items.forEach(function (item) {
      if (!heard.has(item.dataset.key)) {
        heard.add(item.dataset.key);
        fresh.push(item.textContent.trim());
      }
    });
    return fresh;
  }

  function announce() {
    var fresh = news();
    if (fresh.length) {
      document.getElementById("live-news").textContent = fresh.join(". ");
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (window.Idiomorph) {
      // Only the person changes what they typed, chose or opened.
      window.Idiomorph.defaults.callbacks.beforeAttributeUpdated = function (
        name,
        node,
      ) {
        if (name === "open" && node.tagName === "DETAILS") {
          return false;
        }
        if (
          (name === "value" || name === "checked" || name === "selected") &&
          isEdited(node)
        ) {
          return false;
        }
        return true;
      };
    }
    news(); // What the page showed when it opened is not news.
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target.id === "live" || event.target.id === "live-message") {
      announce();
    }
  });

  // Each press on a vote button is a vote of its own: its key gets a number
  // of its own, so a key that an update brought back (an older rendering of
  // the area) never makes a new press replay an earlier one.
  var presses = 0;
  document.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail.elt;
    if (!form || !form.matches || !form.matches("#live form.vote")) {
      return;
    }
    presses += 1;
    var key = event.detail.parameters.idempotency_key;
    event.detail.parameters.idempotency_key = key + "-" + presses;
  });

  // A press the server could not take (busy, offline) is never silent.
  function unsent(event) {
    var form = event.detail.elt;
    var message = document.getElementById("live-message");
    if (!form || form.tagName !== "FORM" || !message) {
      return;
    }
    var paragraph = document.createElement("p");
    paragraph.className = "errorlist";
    paragraph.setAttribute("role", "alert");
    paragraph.textContent = message.dataset.unsent;
    message.replaceChildren(paragraph);
  }
  document.addEventListener("htmx:responseError", unsent);
  document.addEventListener("htmx:sendError", unsent);

  // A form whose action the server took starts afresh; a refused one keeps
  // what was typed, and the refusal says why (#live-message).
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (!form || form.tagName !== "FORM" || !event.detail.successful) {
      return;
    }
    var message = document.getElementById("live-message");
    if (message && message.textContent.trim()) {
      return;
    }
    form.querySelectorAll("input, select, textarea").forEach(function (field) {
      edited.delete(field);
    });
    form.reset();
    var details = form.closest("details");
    if (details) {
      details.open = false;
    }
  });
})();
