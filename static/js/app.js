// Behaviour every page shares, bound by data attributes instead of inline handlers
// (the Content-Security-Policy allows no inline script; docs/security.md). Listeners
// sit on the document, so content htmx swaps in later behaves the same.
//   <select data-autosubmit>          submits its form when changed (language switch)
//   <button data-print>               prints the page
//   <button data-confirm="question">  asks before it submits
//   <a data-back href="fallback">      goes back a page (the link itself when there is none)
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("select[data-autosubmit]") && el.form) el.form.submit();
  });
  document.addEventListener("click", function (event) {
    var el = event.target.closest
      ? event.target.closest("[data-print], [data-confirm], [data-back]")
      : null;
    if (!el) return;
    if (el.hasAttribute("data-back")) {
      if (window.history.length > 1 && document.referrer) {
        event.preventDefault();
        window.history.back();
      }
    } else if (el.hasAttribute("data-print")) {
      event.preventDefault();
      window.print();
    } else if (!window.confirm(el.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
})();
