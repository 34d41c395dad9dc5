// The admin export page's "select all" box (templates/admin/import_export/export.html):
// django-import-export binds it with an inline onchange, which the CSP refuses.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    if (event.target.matches(".select-toggle") && typeof onSelectToggleChange === "function") {
      onSelectToggleChange(event); // defined by import_export/export_selectable_fields.js
    }
  });
})();
