// Renders /docs with the vendored Swagger UI; a file, not an inline script, so the page's
// Content-Security-Policy can forbid inline scripts.
(function () {
  var script = document.currentScript;
  window.ui = SwaggerUIBundle({ url: script.dataset.spec, dom_id: "#swagger-ui" });
})();
