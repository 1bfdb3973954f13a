// Starts Redoc on the API reference page (kept out of the page: the Content-Security-Policy allows no
// inline script).
(function () {
  var container = document.getElementById("redoc-container");
  var settingsNode = document.getElementById("redoc-settings");
  var raw = settingsNode ? JSON.parse(settingsNode.textContent) : null; // REDOC_UI_SETTINGS as JSON text
  var settings = raw ? JSON.parse(raw) : {};
  Redoc.init(container.dataset.schemaUrl, settings, container);
})();
