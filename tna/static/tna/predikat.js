// The SKP predikat shown as the supervisor picks results and behaviour (the matrix comes from
// the page as JSON, docs/domain.md#skp). A file, not an inline script: the site's CSP allows none.
(function () {
  var matrix = JSON.parse(document.getElementById("predikat-matrix").textContent);
  var output = document.getElementById("predikat");
  var form = output.closest("form");
  function update() {
    var results = form.querySelector('input[name="skp-results"]:checked');
    var behaviour = form.querySelector('input[name="skp-behaviour"]:checked');
    if (results && behaviour) { output.textContent = matrix[results.value + "|" + behaviour.value]; }
  }
  form.addEventListener("change", update);
  update();
})();
