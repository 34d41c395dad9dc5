// Intake form helpers: suggest the handling category from the JR/T cause, and load
// the handlers of the institution chosen for dispatch. Served locally, no framework.
(function () {
  const data = document.getElementById("category-suggestions");
  const suggestions = data ? JSON.parse(data.textContent) : {};
  const cause = document.getElementById("id_cause");
  const category = document.getElementById("id_category");
  if (cause && category) {
    cause.addEventListener("change", function () {
      const suggested = suggestions[cause.value];
      if (suggested && !category.dataset.touched) category.value = String(suggested);
    });
    category.addEventListener("change", function () { category.dataset.touched = "1"; });
  }
  const inst = document.getElementById("id_d-dispatch_institution");
  const handler = document.getElementById("id_d-dispatch_handler");
  if (inst && handler) {
    inst.addEventListener("change", function () {
      fetch(inst.form.dataset.handlersUrl || "/complaints/handlers/?institution=" + encodeURIComponent(inst.value),
            {credentials: "same-origin"})
        .then(function (r) { return r.text(); })
        .then(function (html) { handler.innerHTML = html; });
    });
  }
})();
