// The reading list editor's "Add an entry": a blank row from the template, numbered after the others.
// Without this script the page still works: it offers blank rows, and blank rows are not saved.
(function () {
  "use strict";
  const form = document.getElementById("reading-list-editor");
  if (!form) return;
  const rows = form.querySelector("[data-reference-rows]");
  const total = form.querySelector(`input[name="${form.dataset.formsetPrefix}-TOTAL_FORMS"]`);
  const button = form.querySelector("[data-add-reference]");
  const template = document.getElementById("reference-row-template");
  button.hidden = false;
  form.querySelector("[data-no-script-hint]").hidden = true;
  button.addEventListener("click", function () {
    const holder = document.createElement("ol");
    holder.innerHTML = template.innerHTML.split("__prefix__").join(total.value).trim();
    const row = holder.firstElementChild;
    const orders = Array.from(rows.querySelectorAll("[name$='-position']"), (input) => Number(input.value) || 0);
    row.querySelector("[name$='-position']").value = Math.max(0, ...orders) + 1;
    rows.appendChild(row);
    total.value = Number(total.value) + 1;
    row.querySelector("textarea").focus();
  });
})();
