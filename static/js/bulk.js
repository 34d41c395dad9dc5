// Bulk actions on the complaint list: the row checkboxes (form="bulk-form") feed the
// form above the table; "select all" ticks the page; the handler field shows only
// for 分办; the button counts the ticked rows and stays off while none is ticked.
(function () {
  "use strict";
  const form = document.getElementById("bulk-form");
  if (!form) return;
  const action = form.querySelector("select[name=action]");
  const submit = form.querySelector("[data-bulk-submit]");
  const count = form.querySelector("[data-bulk-count]");
  const all = document.querySelector("[data-bulk-all]");

  function rows() { return Array.from(document.querySelectorAll("input[data-bulk-row]")); }

  function refresh() {
    const ticked = rows().filter(function (box) { return box.checked; }).length;
    count.textContent = String(ticked);
    submit.disabled = ticked === 0 || !action.value;
    if (all) {
      all.checked = ticked > 0 && ticked === rows().length;
      all.indeterminate = ticked > 0 && ticked < rows().length;
    }
    form.querySelectorAll("[data-bulk-for]").forEach(function (field) {
      field.hidden = field.getAttribute("data-bulk-for") !== action.value;
    });
  }

  document.addEventListener("change", function (event) {
    const el = event.target;
    if (el === all) rows().forEach(function (box) { box.checked = all.checked; });
    if (el === all || el === action || el.matches("input[data-bulk-row]")) refresh();
  });
  refresh();
})();
