// The print form (complaints/print.html) loads no other script: its 打印 button.
document.addEventListener("click", function (event) {
  var el = event.target.closest ? event.target.closest("[data-print]") : null;
  if (el) {
    event.preventDefault();
    window.print();
  }
});
