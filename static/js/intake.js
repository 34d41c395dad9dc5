// Intake form: suggest the handling category from the JR/T cause (the staff and
// handler lists follow their institutions through static/js/forms.js).
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
})();

// While the phone or ID number is typed, the customer's earlier complaints (among
// those the user can see, masked as in the list) appear under the fields: asked
// once typing pauses, and only for a number long enough to be complete.
(function () {
  const box = document.getElementById("earlier-complaints");
  const phone = document.getElementById("id_complainant_phone");
  const idNumber = document.getElementById("id_id_number");
  if (!box || !phone) return;
  const DELAY = 400;
  let timer = null;
  let asked = "";

  function digits(value) { return value.replace(/\D/g, ""); }

  function ask() {
    const p = phone.value.trim();
    const i = idNumber ? idNumber.value.trim() : "";
    const enough = digits(p).length >= 7 || i.length >= 15;
    const params = new URLSearchParams({ complainant_phone: enough ? p : "", id_number: enough ? i : "" });
    const query = params.toString();
    if (!enough) { box.innerHTML = ""; asked = ""; return; }
    if (query === asked) return;
    asked = query;
    fetch(box.dataset.earlierUrl + "?" + query, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) { if (asked === query) box.innerHTML = html; })
      .catch(function () {});
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(ask, DELAY);
  }
  phone.addEventListener("input", later);
  if (idNumber) idNumber.addEventListener("input", later);
  if (phone.value) ask();
})();
