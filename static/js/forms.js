// Form helpers for every page, served locally, no framework:
// * a select with data-reload-from="<field name>" and data-reload-url reloads its
//   options when that field of the same form changes (?institution=<value>), keeping
//   the choice made meanwhile if it is still offered;
// * a select with data-filterable="<placeholder>" gets a search box above it: typing
//   hides the options that do not contain the text and picks the only match.
(function () {
  function keepChoice(select, html) {
    const kept = select.value;
    select.innerHTML = html;
    if (Array.prototype.some.call(select.options, function (o) { return o.value === kept; })) {
      select.value = kept;
    }
    select.dispatchEvent(new Event("options-reloaded"));
  }

  document.querySelectorAll("select[data-reload-from]").forEach(function (select) {
    const source = select.form && select.form.elements[select.dataset.reloadFrom];
    if (!source) return;
    source.addEventListener("change", function () {
      const url = new URL(select.dataset.reloadUrl, window.location.href);
      url.searchParams.set("institution", source.value);
      fetch(url, {credentials: "same-origin"})
        .then(function (r) { return r.text(); })
        .then(function (html) { keepChoice(select, html); });
    });
  });

  document.querySelectorAll("select[data-filterable]").forEach(function (select) {
    const box = document.createElement("input");
    box.type = "search";
    box.placeholder = select.dataset.filterable;
    box.setAttribute("aria-label", select.dataset.filterable);
    box.className = "select-filter";
    select.parentNode.insertBefore(box, select);
    function apply() {
      const term = box.value.trim();
      const shown = [];
      Array.prototype.forEach.call(select.options, function (option) {
        const show = !term || !option.value || option.text.indexOf(term) !== -1;
        option.hidden = !show;
        if (show && option.value) shown.push(option);
      });
      if (term && shown.length === 1) select.value = shown[0].value;
    }
    box.addEventListener("input", apply);
    select.addEventListener("options-reloaded", apply);
  });
})();
