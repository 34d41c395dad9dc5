// A character counter under every textarea with data-counter="<limit>" (the form
// field's maximum, complaints/fields.py): "120 / 5000", marked when near or over the
// limit. Numbers only, so it needs no translation. Counts what the server counts:
// characters (code points), with line breaks as one.
(function () {
  function length(text) {
    return Array.from(text.replace(/\r\n/g, "\n")).length;
  }

  document.querySelectorAll("textarea[data-counter]").forEach(function (area) {
    const limit = parseInt(area.dataset.counter, 10);
    if (!limit) return;
    const out = document.createElement("div");
    out.className = "char-counter";
    out.setAttribute("aria-live", "polite");
    if (area.id) out.id = area.id + "_counter";
    area.insertAdjacentElement("afterend", out);
    function update() {
      const n = length(area.value);
      out.textContent = n + " / " + limit;
      out.classList.toggle("near", n >= limit * 0.9 && n <= limit);
      out.classList.toggle("over", n > limit);
    }
    area.addEventListener("input", update);
    update();
  });
})();
