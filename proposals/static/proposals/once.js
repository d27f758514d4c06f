// Forms marked data-once are sent once: a second click while the first is on
// its way does nothing. A nicety only: the server's idempotent services are
// the guarantee (submitting twice makes one submission).
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-once]")) {
      return;
    }
    if (form.dataset.sent) {
      event.preventDefault();
      return;
    }
    form.dataset.sent = "1";
    var buttons = form.querySelectorAll("button");
    // Disabled after this turn: a disabled button's name would not be sent.
    window.setTimeout(function () {
      buttons.forEach(function (button) {
        button.disabled = true;
        button.setAttribute("aria-busy", "true");
      });
    }, 0);
  });
  // Coming back with the browser's Back button shows the page as it was left.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) {
      return;
    }
    document.querySelectorAll("form[data-once]").forEach(function (form) {
      delete form.dataset.sent;
      form.querySelectorAll("button").forEach(function (button) {
        button.disabled = false;
        button.removeAttribute("aria-busy");
      });
    });
  });
})();
