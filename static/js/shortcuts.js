// Keyboard shortcuts, listed in the 快捷键 dialog of every page (templates/base.html).
// Matched on event.code, so they work whatever the keyboard layout or the input
// method produces, and not through HTML accesskey, whose modifier differs between
// browsers and systems.
//   Alt+N   登记新投诉 (the page's a[data-shortcut=new], or the top bar's link)
//   Alt+S   保存 (the page's [data-shortcut=save] button)
//   /       focus the list's search field
//   ?       show this list; Esc closes it
(function () {
  "use strict";
  const dialog = document.getElementById("shortcut-help");

  function typing(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }

  function openHelp() {
    if (dialog && !dialog.open) dialog.showModal();
  }

  document.addEventListener("click", function (event) {
    const el = event.target.closest ? event.target.closest("[data-shortcut-help]") : null;
    if (!el) return;
    event.preventDefault();
    openHelp();
  });

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey) return;
    if (event.altKey && !event.shiftKey) {
      if (event.code === "KeyN") {
        const link = document.querySelector("a[data-shortcut=new]") ||
          document.querySelector("body[data-new-url]");
        if (!link) return;
        event.preventDefault();
        window.location.assign(link.href || link.getAttribute("data-new-url"));
      } else if (event.code === "KeyS") {
        const save = document.querySelector("[data-shortcut=save]");
        if (!save || save.disabled) return;
        event.preventDefault();
        if (save.form && save.form.requestSubmit) save.form.requestSubmit(save);
        else save.click();
      }
      return;
    }
    if (event.altKey || typing(event.target)) return;
    if (event.key === "/") {
      const search = document.querySelector("form[role=search] input[type=search]");
      if (!search) return;
      event.preventDefault();
      search.focus();
      search.select();
    } else if (event.key === "?") {
      event.preventDefault();
      openHelp();
    }
  });
})();
