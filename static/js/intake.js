// Intake form helpers: suggest the handling category from the JR/T cause, reload the
// staff of the complained-about institution and the handlers of the institution
// chosen for dispatch, and filter long selects by typing. Served locally, no framework.
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

  function reloadOptions(source, target, url) {
    source.addEventListener("change", function () {
      fetch(url + "?institution=" + encodeURIComponent(source.value), {credentials: "same-origin"})
        .then(function (r) { return r.text(); })
        .then(function (html) {
          // A choice made while the list was loading survives if it is still offered.
          const kept = target.value;
          target.innerHTML = html;
          if (Array.prototype.some.call(target.options, function (o) { return o.value === kept; })) {
            target.value = kept;
          }
          target.dispatchEvent(new Event("options-reloaded"));
        });
    });
  }

  const inst = document.getElementById("id_d-dispatch_institution");
  const handler = document.getElementById("id_d-dispatch_handler");
  if (inst && handler) reloadOptions(inst, handler, "/complaints/handlers/");

  const form = document.getElementById("intake-form");
  const complained = document.getElementById("id_complained_institution");
  const staff = document.getElementById("id_complained_staff");
  if (form && complained && staff && form.dataset.staffUrl) {
    reloadOptions(complained, staff, form.dataset.staffUrl);
  }

  // A select with data-filterable gets a search box above it: typing hides the
  // options whose text does not contain what was typed, and picks the only match.
  document.querySelectorAll("select[data-filterable]").forEach(function (select) {
    const box = document.createElement("input");
    box.type = "search";
    box.placeholder = select.dataset.filterable;
    box.setAttribute("aria-label", select.dataset.filterable);
    box.className = "select-filter";
    select.parentNode.insertBefore(box, select);
    function apply() {
      const term = box.value.trim();
      const visible = [];
      Array.prototype.forEach.call(select.options, function (option) {
        const show = !term || !option.value || option.text.indexOf(term) !== -1;
        option.hidden = !show;
        if (show && option.value) visible.push(option);
      });
      if (term && visible.length === 1) select.value = visible[0].value;
    }
    box.addEventListener("input", apply);
    select.addEventListener("options-reloaded", apply);
  });
})();
