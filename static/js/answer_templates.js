// 答复模板: a select with data-fills="<field name>" puts the chosen option's
// data-text (filled on the server, masked as the user sees the complaint) into that
// field of the same form. Served locally; no framework.
(function () {
  document.querySelectorAll("select[data-fills]").forEach(function (select) {
    select.addEventListener("change", function () {
      const option = select.options[select.selectedIndex];
      const target = select.form && select.form.elements[select.dataset.fills];
      if (!option || !option.value || !target) return;
      target.value = option.dataset.text || "";
      target.dispatchEvent(new Event("input", {bubbles: true}));
      target.focus();
    });
  });
})();
