// The rubric editor's "add criterion" / "add level" buttons and its live maximum.
// Without this script the page still works: it offers blank rows, and blank rows are not saved.
(function () {
  "use strict";
  const form = document.getElementById("rubric-editor");
  if (!form) return;
  const criteria = form.querySelector("[data-criteria]");
  const criterionTemplate = document.getElementById("criterion-template");
  const levelTemplate = document.getElementById("level-template");

  function total(prefix) {
    return form.querySelector(`input[name="${prefix}-TOTAL_FORMS"]`);
  }

  function clone(template, replacements) {
    let html = template.innerHTML;
    for (const [slot, value] of Object.entries(replacements)) html = html.split(slot).join(value);
    const holder = document.createElement("div");
    holder.innerHTML = html.trim();
    return holder.firstElementChild;
  }

  function focusFirstField(node) {
    const field = node.querySelector("input:not([type=hidden]), textarea");
    if (field) field.focus();
  }

  function addLevel(criterionNode) {
    const index = criterionNode.dataset.criterion;
    const count = total(`c${index}-levels`);
    const level = clone(levelTemplate, { __criterion__: index, __level__: count.value });
    criterionNode.querySelector("[data-levels]").appendChild(level);
    count.value = Number(count.value) + 1;
    focusFirstField(level);
  }

  function addCriterion() {
    const count = total("criteria");
    const criterion = clone(criterionTemplate, { __criterion__: count.value });
    criteria.appendChild(criterion);
    count.value = Number(count.value) + 1;
    showButtons(criterion);
    focusFirstField(criterion);
  }

  function showButtons(root) {
    root.querySelectorAll("[data-add-level], [data-add-criterion]").forEach((button) => (button.hidden = false));
  }

  // The rubric maximum as scoring.rubric_maximum computes it: each criterion's highest "to %", added up.
  function liveMaximum() {
    let sum = 0;
    criteria.querySelectorAll("[data-criterion]").forEach((criterion) => {
      const removed = criterion.querySelector('.card-header input[type="checkbox"]');
      if (removed && removed.checked) return;
      let highest = 0;
      criterion.querySelectorAll(".level-form").forEach((level) => {
        const gone = level.querySelector('input[name$="-DELETE"]');
        const to = level.querySelector('input[name$="-max_percent"]');
        if ((gone && gone.checked) || !to || to.value === "") return;
        highest = Math.max(highest, Number(to.value));
      });
      sum += highest;
    });
    const locale = document.documentElement.lang || "kk";
    form.querySelector("[data-live-maximum-value]").textContent = sum.toLocaleString(locale, {
      maximumFractionDigits: 2,
    });
  }

  form.addEventListener("click", (event) => {
    const button = event.target.closest("[data-add-level], [data-add-criterion]");
    if (!button) return;
    if (button.hasAttribute("data-add-criterion")) addCriterion();
    else addLevel(button.closest("[data-criterion]"));
    liveMaximum();
  });
  form.addEventListener("input", liveMaximum);
  form.addEventListener("change", liveMaximum);

  // With the buttons at hand, the blank rows offered for work without a script are clutter: trailing blank
  // rows beyond the saved ones go, keeping one criterion and two levels in each.
  function isBlank(node) {
    return Array.from(node.querySelectorAll("input:not([type=hidden]):not([type=checkbox]), textarea")).every(
      (field) => field.value.trim() === "",
    );
  }

  function trimBlankRows(prefix, rows, keep) {
    const count = total(prefix);
    const saved = Number(form.querySelector(`input[name="${prefix}-INITIAL_FORMS"]`).value);
    while (rows.length > Math.max(saved, keep) && isBlank(rows[rows.length - 1])) {
      rows.pop().remove();
      count.value = Number(count.value) - 1;
    }
  }

  trimBlankRows("criteria", Array.from(criteria.querySelectorAll("[data-criterion]")), 1);
  criteria.querySelectorAll("[data-criterion]").forEach((criterion) => {
    const levels = Array.from(criterion.querySelectorAll("[data-levels] > .level-form"));
    trimBlankRows(`c${criterion.dataset.criterion}-levels`, levels, 2);
  });
  showButtons(form);
  form.querySelectorAll("[data-no-script-hint]").forEach((hint) => (hint.hidden = true));
  form.querySelector("[data-live-maximum]").hidden = false;
  liveMaximum();

  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
