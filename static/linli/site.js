// Behaviour every page may use, as static code (no inline script: the
// Content-Security-Policy forbids it). A button with data-print prints the page.
document.addEventListener("click", function (event) {
  var button = event.target.closest ? event.target.closest("[data-print]") : null;
  if (button) {
    window.print();
  }
});
