// The live meeting's poll sends back the version it shows (issue 13): while
// nothing changed the server answers 204 from its cache without a query.
// A static file, not an hx-on attribute: the Content-Security-Policy allows no
// inline script and htmx's eval is off.
document.addEventListener("htmx:configRequest", function (event) {
  var area = event.target;
  if (area.id !== "live" || event.detail.verb !== "get") {
    return;
  }
  var shown = area.querySelector("[data-version]");
  if (shown) {
    event.detail.headers["If-None-Match"] = shown.dataset.version;
  }
});
