// The live meeting page (issue 15). Updates morph #live in place (idiomorph,
// static/vendor), so focus, a pressed button and the scroll stay. This file:
// - keeps what a person is typing or choosing in a form, and a section they
//   opened, across updates (the server does not know them);
// - says once, in a polite live region, what changed ("Motion seconded",
//   "Voting is open", "Adopted 14–3"): the fragment lists its news with keys
//   (`ul.news`) and only keys not heard before are read;
// - clears a form once the server took what it sent;
// - keeps the keyboard's place: when an update takes away the control that
//   had the focus, the focus goes to the nearest control still there.
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
      var inside = details.contains(document.activeElement);
      details.open = false;
      if (inside) {
        details.querySelector("summary").focus();
      }
    }
  });

  // The keyboard's place (issue 14). The chair's "Call to order" once
  // pressed, a speaker recognised, a motion's short form closed: an update
  // took away the control that had the focus, and the browser put the focus
  // back on the page's body, so the next Tab would start from the top. It
  // goes instead to the same control if the update brought it back, else to
  // the first control left in the part of the area it was in, else to the
  // area's status line. A person who clicked elsewhere is left alone.
  var place = null;

  function shown(element) {
    // Not inside a closed <details>, which getClientRects alone would not say.
    return Boolean(element) && element.isConnected && element.checkVisibility();
  }

  var CONTROLS = "button, summary, a[href], input:not([type=hidden]), select, textarea";

  function firstControl(container) {
    if (!container || !container.isConnected) {
      return null;
    }
    return Array.prototype.find.call(container.querySelectorAll(CONTROLS), shown) || null;
  }

  document.addEventListener("focusin", function (event) {
    var live = document.getElementById("live");
    var element = event.target;
    if (!live || !live.contains(element)) {
      place = null;
      return;
    }
    place = {
      id: element.id,
      action: element.dataset ? element.dataset.action : "",
      details: element.closest("details"),
      part: element.closest("section, form.vote") || live,
    };
  });
  document.addEventListener("mousedown", function () {
    place = null;
  });

  function keepPlace() {
    var active = document.activeElement;
    if (!place || (active && active !== document.body && shown(active))) {
      return;
    }
    var live = document.getElementById("live");
    var candidates = [
      place.id && document.getElementById(place.id),
      place.action && live.querySelector('[data-action="' + place.action + '"]'),
      place.details && place.details.isConnected && place.details.querySelector("summary"),
      firstControl(place.part),
      firstControl(live),
    ];
    var target = candidates.find(shown);
    if (!target) {
      target = live.querySelector(".status") || live;
      target.tabIndex = -1;
    }
    target.focus();
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target.id === "live") {
      keepPlace();
    }
  });
})();
