// The letter scale editor's "add a row" button, and a dimmed look for rows ticked for removal.
// Without this script the page still works: it offers blank rows, and blank rows are not saved.
(function () {
  "use strict";
  const form = document.getElementById("letter-scale-editor");
  if (!form) return;
  const rows = form.querySelector("[data-letter-rows]");
  const template = document.getElementById("letter-row-template");
  const total = form.querySelector('input[name="letters-TOTAL_FORMS"]');
  const addButton = form.querySelector("[data-add-letter]");

  addButton.hidden = false;
  const hint = form.querySelector("[data-no-script-hint]");
  if (hint) hint.hidden = true;

  addButton.addEventListener("click", function () {
    const holder = document.createElement("tbody");
    holder.innerHTML = template.innerHTML.split("__prefix__").join(total.value).trim();
    const row = holder.firstElementChild;
    rows.appendChild(row);
    total.value = Number(total.value) + 1;
    row.querySelector("input:not([type=hidden])").focus();
  });

  rows.addEventListener("change", function (event) {
    if (!event.target.matches("[data-remove-letter]")) return;
    event.target.closest("[data-letter-row]").classList.toggle("opacity-50", event.target.checked);
  });
  for (const box of rows.querySelectorAll("[data-remove-letter]:checked")) {
    box.closest("[data-letter-row]").classList.add("opacity-50");
  }
})();
