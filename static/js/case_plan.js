// The case plan editor: rows added, removed and reordered (by keyboard too), the goals an intervention may serve
// kept in step with the goals, organisations picked from the directory, and the checklist a save answers with.
// The draft is saved as the student types by autosave.js (startAutosave: one save at a time over the revision the
// page holds, a copy kept in this browser, retries, the beacon on leaving, the offer of an older copy); this script
// gives it the plan's values, puts a kept copy back into the rows, and keeps the names of the organisations picked.
// Without this script the page still works: "Save draft" posts the form, and each section has a spare empty row.
(function () {
  "use strict";
  const form = document.getElementById("plan-form");
  const textNode = document.getElementById("plan-text");
  if (!form || !textNode || !window.startAutosave) return;
  const text = JSON.parse(textNode.textContent);
  const textSections = new Set(form.dataset.textSections.trim().split(/\s+/));
  const rowName = /^([a-z]+)-(\d+)-([a-z]+)$/;
  let autosave = null;

  const fill = (template, values) => template.replace(/%\((\w+)\)[sd]/g, (_match, key) => values[key]);
  const changed = () => autosave && autosave.changed();

  // Rows ------------------------------------------------------------------------------------------------------------

  const lists = () => Array.from(form.querySelectorAll("[data-rows]"));
  const rowsOf = (list) => Array.from(list.children).filter((node) => node.matches("[data-row]"));
  const listOf = (section) => form.querySelector(`[data-rows="${section}"]`);

  function renumber(list) {
    const section = list.dataset.rows;
    const rows = rowsOf(list);
    rows.forEach((row, index) => {
      const prefix = `${section}-${index}`;
      const title = fill(text.rows[section], { number: index + 1 });
      row.querySelectorAll("[data-field]").forEach((field) => {
        field.name = `${prefix}-${field.dataset.field}`;
        field.id = `id_${field.name}`;
      });
      row.querySelectorAll("[data-id]").forEach((node) => (node.id = `id_${prefix}-${node.dataset.id}`));
      row.querySelectorAll("[data-for]").forEach((label) => (label.htmlFor = `id_${prefix}-${label.dataset.for}`));
      row.querySelector("[data-row-title]").textContent = title;
      row.setAttribute("aria-label", title);
      const buttons = {
        up: row.querySelector('[data-move="up"]'),
        down: row.querySelector('[data-move="down"]'),
        remove: row.querySelector("[data-remove]"),
      };
      for (const [action, button] of Object.entries(buttons)) {
        const label = fill(text[action], { row: title });
        button.setAttribute("aria-label", label);
        button.title = label;
      }
      // aria-disabled rather than disabled: a button that loses its use keeps the keyboard focus it has.
      buttons.up.setAttribute("aria-disabled", String(index === 0));
      buttons.down.setAttribute("aria-disabled", String(index === rows.length - 1));
    });
    if (section === "goals" || section === "interventions") refreshGoalChoices();
  }

  function newKey() {
    const bytes = new Uint8Array(4);
    window.crypto.getRandomValues(bytes);
    return "g" + Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  }

  function addRow(section) {
    const template = form.ownerDocument.querySelector(`template[data-row-template="${section}"]`);
    const row = template.content.firstElementChild.cloneNode(true);
    const key = row.querySelector('[data-field="key"]');
    if (key) key.value = newKey();
    const list = listOf(section);
    list.append(row);
    prepareRow(row);
    renumber(list);
    return row;
  }

  function prepareRow(row) {
    row.querySelectorAll("[data-row-tools]").forEach((node) => (node.hidden = false));
    const picker = row.querySelector("[data-picker]");
    if (picker) {
      const picked = row.querySelector('[data-field="entry"]').value !== "";
      picker.hidden = picked;
      row.querySelector("[data-clear]").hidden = false;
    }
  }

  const firstField = (row) =>
    Array.from(row.querySelectorAll("input:not([type=hidden]), textarea, select")).find(
      (field) => field.offsetParent !== null,
    );

  function hasContent(row) {
    return Array.from(row.querySelectorAll("[data-field]")).some(
      (field) => field.dataset.field !== "key" && field.value.trim() !== "",
    );
  }

  function announce(message) {
    const node = document.getElementById("plan-rows-status");
    node.textContent = "";
    window.setTimeout(() => (node.textContent = message), 50);
  }

  function moveRow(row, direction) {
    const list = row.parentElement;
    const sibling = direction === "up" ? row.previousElementSibling : row.nextElementSibling;
    if (!sibling || !sibling.matches("[data-row]")) return;
    if (direction === "up") list.insertBefore(row, sibling);
    else list.insertBefore(sibling, row);
    renumber(list);
    row.querySelector(`[data-move="${direction}"]`).focus();
    announce(fill(text.moved, { row: row.querySelector("[data-row-title]").textContent }));
    changed();
  }

  function removeRow(row) {
    const title = row.querySelector("[data-row-title]").textContent;
    if (hasContent(row) && !window.confirm(fill(text.confirmRemove, { row: title }))) return;
    const list = row.parentElement;
    const neighbour = row.nextElementSibling || row.previousElementSibling;
    row.remove();
    renumber(list);
    const target = (neighbour && firstField(neighbour)) || form.querySelector(`[data-add="${list.dataset.rows}"]`);
    target.focus();
    announce(fill(text.removed, { row: title }));
    changed();
  }

  form.addEventListener("click", (event) => {
    const add = event.target.closest("[data-add]");
    if (add) {
      const row = addRow(add.dataset.add);
      firstField(row).focus();
      announce(fill(text.added, { row: row.querySelector("[data-row-title]").textContent }));
      return;
    }
    const move = event.target.closest("[data-move]");
    if (move && move.getAttribute("aria-disabled") !== "true") {
      moveRow(move.closest("[data-row]"), move.dataset.move);
      return;
    }
    const remove = event.target.closest("[data-remove]");
    if (remove) removeRow(remove.closest("[data-row]"));
  });

  // Goals an intervention may serve ------------------------------------------------------------------------------------

  function goalLabel(number, goalText) {
    let shown = goalText.trim().replace(/\s+/g, " ");
    if (!shown) return fill(text.rows.goals, { number });
    if (shown.length > text.goalChoiceLength) shown = shown.slice(0, text.goalChoiceLength - 1) + "…";
    return fill(text.goalChoice, { number, text: shown });
  }

  function refreshGoalChoices() {
    const goals = rowsOf(listOf("goals")).map((row, index) => ({
      key: row.querySelector('[data-field="key"]').value,
      label: goalLabel(index + 1, row.querySelector('[data-field="text"]').value),
    }));
    form.querySelectorAll("[data-goal-choice]").forEach((select) => {
      const chosen = select.value;
      select.replaceChildren(new Option("—", ""), ...goals.map((goal) => new Option(goal.label, goal.key)));
      select.value = goals.some((goal) => goal.key === chosen) ? chosen : "";
    });
  }

  // Organisations from the directory ---------------------------------------------------------------------------------

  let searchTimer = null;
  let searchCount = 0;

  function pick(row, organisation) {
    row.querySelector('[data-field="entry"]').value = String(organisation.id);
    row.querySelector("[data-picked-name]").textContent = organisation.name;
    row.querySelector("[data-picked-city]").textContent = organisation.city ? `· ${organisation.city}` : "";
    row.querySelector("[data-picked]").hidden = false;
    const picker = row.querySelector("[data-picker]");
    picker.hidden = true;
    picker.querySelector("[data-search]").value = "";
    // The organisation picked replaces one written out: the plan names one organisation a referral.
    row.querySelector('[data-field="organisation"]').value = "";
    row.querySelector("[data-written]").hidden = true;
    showFound(row, null);
    row.querySelector("[data-clear]").focus();
    changed();
  }

  function unpick(row) {
    row.querySelector('[data-field="entry"]').value = "";
    row.querySelector("[data-picked]").hidden = true;
    row.querySelector("[data-picker]").hidden = false;
    row.querySelector("[data-written]").hidden = false;
    row.querySelector("[data-search]").focus();
    changed();
  }

  function showFound(row, results) {
    const list = row.querySelector("[data-found]");
    list.replaceChildren();
    list.hidden = results === null;
    if (results === null) return;
    const status = row.querySelector("[data-found-status]");
    if (!results.length) {
      const item = document.createElement("li");
      item.className = "list-group-item small text-body-secondary";
      item.textContent = text.nothingFound;
      list.append(item);
      status.textContent = text.nothingFound;
      return;
    }
    for (const organisation of results) {
      const item = document.createElement("li");
      item.className = "list-group-item p-0";
      const button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-link text-start w-100 plan-found-option";
      button.dataset.organisation = JSON.stringify(organisation);
      const name = document.createElement("span");
      name.className = "fw-semibold d-block text-break";
      name.textContent = organisation.name;
      const details = document.createElement("span");
      details.className = "small text-body-secondary";
      details.textContent = [organisation.city, organisation.type, organisation.phones.join(", ")]
        .filter(Boolean)
        .join(" · ");
      button.append(name, details);
      item.append(button);
      list.append(item);
    }
    status.textContent = fill(text.found, { count: results.length });
  }

  async function search(row, query) {
    const number = ++searchCount;
    if (!query.trim()) {
      showFound(row, null);
      return;
    }
    try {
      const url = `${form.dataset.organisationsUrl}?q=${encodeURIComponent(query)}`;
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) throw new Error(String(response.status));
      const answer = await response.json();
      if (number === searchCount) showFound(row, answer.results);
    } catch {
      if (number === searchCount) row.querySelector("[data-found-status]").textContent = text.searchFailed;
    }
  }

  form.addEventListener("input", (event) => {
    const box = event.target.closest("[data-search]");
    if (!box) return;
    window.clearTimeout(searchTimer);
    searchTimer = window.setTimeout(() => search(box.closest("[data-row]"), box.value), 250);
  });

  form.addEventListener("click", (event) => {
    const option = event.target.closest(".plan-found-option");
    if (option) pick(option.closest("[data-row]"), JSON.parse(option.dataset.organisation));
    const clear = event.target.closest("[data-clear]");
    if (clear) unpick(clear.closest("[data-row]"));
  });

  form.addEventListener("keydown", (event) => {
    const inPicker = event.target.closest("[data-picker]");
    if (!inPicker) return;
    const options = Array.from(inPicker.querySelectorAll(".plan-found-option"));
    const at = options.indexOf(event.target);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!options.length) return;
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      const next = at === -1 ? (step === 1 ? 0 : options.length - 1) : at + step;
      if (next < 0 || next >= options.length) inPicker.querySelector("[data-search]").focus();
      else options[next].focus();
    } else if (event.key === "Enter" && event.target.matches("[data-search]")) {
      // Enter in the search box picks the one organisation found, and never posts the whole form.
      event.preventDefault();
      if (options.length === 1) options[0].click();
      else if (options.length) options[0].focus();
    } else if (event.key === "Escape") {
      showFound(event.target.closest("[data-row]"), null);
      inPicker.querySelector("[data-search]").focus();
    }
  });

  // Saving ------------------------------------------------------------------------------------------------------------

  function planValues() {
    const values = [];
    for (const [name, value] of new FormData(form)) {
      if (typeof value === "string" && (textSections.has(name) || rowName.test(name))) values.push([name, value]);
    }
    return values;
  }

  // The names of the organisations picked, by referral row: a kept copy holds only their ids among the values.
  function pickedNames() {
    const picked = {};
    rowsOf(listOf("referrals")).forEach((row, index) => {
      if (row.querySelector('[data-field="entry"]').value) {
        picked[index] = {
          name: row.querySelector("[data-picked-name]").textContent,
          city: row.querySelector("[data-picked-city]").textContent,
        };
      }
    });
    return picked;
  }

  // The checklist a save answers with: what still stands between the plan and its hand-in.
  function showProblems(problems) {
    const list = form.querySelector("[data-problems]");
    list.replaceChildren(
      ...problems.map((problem) => {
        const item = document.createElement("li");
        item.textContent = problem;
        return item;
      }),
    );
    list.hidden = problems.length === 0;
    form.querySelector("[data-ready]").hidden = problems.length !== 0;
    const count = form.querySelector("[data-problem-count]");
    count.textContent = String(problems.length);
    count.classList.toggle("text-bg-warning", problems.length !== 0);
    count.classList.toggle("text-bg-success", problems.length === 0);
  }

  form.addEventListener("input", (event) => {
    if (event.target.closest("[data-search]")) return;
    if (event.target.matches("[data-goal-text]")) refreshGoalChoices();
    if (event.target.name && (textSections.has(event.target.name) || rowName.test(event.target.name))) changed();
  });
  form.addEventListener("change", (event) => {
    // A <select> or a date picker reports only "change" in some browsers.
    if (event.target.matches("select, input[type=date]") && !event.target.closest("[data-search]")) changed();
  });

  // Putting back what an earlier visit kept ------------------------------------------------------------------------------

  // A kept copy's values back into the rows (added or removed to hold them), and the names of the organisations picked
  // (copy.extra; copy.picked in the copies kept before autosave.js kept this page).
  function restore(values, copy) {
    const counts = {};
    for (const [name] of values) {
      const match = rowName.exec(name);
      if (match) counts[match[1]] = Math.max(counts[match[1]] || 0, Number(match[2]) + 1);
    }
    for (const list of lists()) {
      const section = list.dataset.rows;
      const want = counts[section] || 0;
      const rows = rowsOf(list);
      rows.slice(want).forEach((row) => row.remove());
      for (let index = rows.length; index < want; index += 1) addRow(section);
      renumber(list);
    }
    const selects = [];
    for (const [name, value] of values) {
      const field = form.elements.namedItem(name);
      if (!field) continue;
      if (field.tagName === "SELECT") selects.push([field, value]);
      else field.value = value;
    }
    refreshGoalChoices();
    for (const [field, value] of selects) field.value = value;
    const pickedNamesKept = copy.extra || copy.picked || {};
    rowsOf(listOf("referrals")).forEach((row, index) => {
      const picked = pickedNamesKept[index];
      const chosen = row.querySelector('[data-field="entry"]').value !== "";
      row.querySelector("[data-picked-name]").textContent = picked ? picked.name : "";
      row.querySelector("[data-picked-city]").textContent = picked ? picked.city : "";
      row.querySelector("[data-picked]").hidden = !chosen;
      row.querySelector("[data-picker]").hidden = chosen;
      row.querySelector("[data-written]").hidden = chosen;
    });
  }

  // A plan's values as the server keeps them: empty rows dropped, spaces around values trimmed, so that a copy kept
  // here can be told apart from what the page shows.
  function comparable(values) {
    const texts = {};
    const rows = {};
    for (const [name, value] of values) {
      const match = rowName.exec(name);
      if (!match) {
        texts[name] = value.trim();
        continue;
      }
      const [, section, index, field] = match;
      rows[section] = rows[section] || {};
      rows[section][index] = rows[section][index] || {};
      rows[section][index][field] = value.trim();
    }
    const kept = { texts: Object.keys(texts).sort().map((name) => [name, texts[name]]) };
    for (const section of lists().map((list) => list.dataset.rows)) {
      kept[section] = Object.keys(rows[section] || {})
        .map(Number)
        .sort((a, b) => a - b)
        .map((index) => rows[section][index])
        .filter((row) => Object.entries(row).some(([field, value]) => field !== "key" && value !== ""))
        .map((row) => Object.keys(row).sort().map((field) => [field, row[field]]));
    }
    return JSON.stringify(kept);
  }

  function start() {
    lists().forEach((list) => {
      rowsOf(list).forEach(prepareRow);
      renumber(list);
    });
    form.querySelectorAll("[data-add]").forEach((button) => (button.hidden = false));
    const live = document.createElement("div");
    live.id = "plan-rows-status";
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    form.append(live);

    autosave = window.startAutosave(form, {
      storageKey: form.dataset.storageKey,
      text: { ...text, failed: form.dataset.failedText },
      values: planValues,
      extra: pickedNames,
      restore,
      comparable,
      onSaved: (answer) => showProblems(answer.problems),
      nodes: {
        status: form.querySelector("[data-status]"),
        saving: form.querySelector("[data-saving]"),
        errors: form.querySelector("[data-save-errors]"),
        reload: form.querySelector("[data-reload]"),
        kept: form.querySelector("[data-kept]"),
      },
    });
  }

  start();
})();
