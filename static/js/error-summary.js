// After a failed submit the page opens with the error summary (templates/_error_summary.html)
// focused, so a screen reader reads it and Tab goes on from there. Each entry links to its
// field; a link to a group of radios or checkboxes (whose id is on the wrapper) focuses
// the group's first input. Served locally, no inline script (the CSP allows none).
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("[data-error-summary] a[href^='#']") : null;
    if (!link) return;
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) return;
    var field = target.matches("input, select, textarea") ? target : target.querySelector("input, select, textarea");
    if (!field) return;
    event.preventDefault();
    field.focus();
    field.scrollIntoView({block: "center"});
  });
})();
