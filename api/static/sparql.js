// Vigie SPARQL page: small progressive enhancements. The page works without this script.
(function () {
  "use strict";
  var form = document.getElementById("sparql-form");
  var query = document.getElementById("query");
  if (!form || !query) { return; }

  // Long queries go by POST: a URL has a size limit, a form body does not.
  form.addEventListener("submit", function () {
    form.method = query.value.length > 1500 ? "post" : "get";
    var button = document.getElementById("run");
    if (button) { button.setAttribute("aria-busy", "true"); button.textContent = "Exécution…"; }
  });

  // Ctrl+Enter or Cmd+Enter runs the query.
  query.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
    }
  });

  // After a run, bring the results into view and give them focus for screen-reader users.
  var results = document.getElementById("results");
  if (results && window.location.search.indexOf("query=") !== -1) {
    results.setAttribute("tabindex", "-1");
    results.focus({ preventScroll: false });
  }
})();
