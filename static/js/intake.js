// Intake form: suggest the handling category from the JR/T cause (the staff and
// handler lists follow their institutions through static/js/forms.js).
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
})();
