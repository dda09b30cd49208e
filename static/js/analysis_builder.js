// The analytical work's editor (СӨЖ 4): the comparison table's models (columns) and criteria (rows) added, removed and
// reordered by buttons that the keyboard reaches, each cell following its row and column by their keys; the SWOT's
// items and the references likewise; the criteria a SWOT item may follow from kept in step with the table; the course's
// reading list added from in one click; and the work saved as the student types (static/js/autosave.js), each save's
// answer bringing the checklist, the warnings and each reference as the course's style lists it (formatted by the
// server: nothing here formats a reference).
// Without this script the page still works: "Save draft" posts the form, and each list has a spare empty row.
(function () {
  "use strict";
  const form = document.getElementById("analysis-form");
  const textNode = document.getElementById("analysis-text");
  if (!form || !textNode || !window.startAutosave) return;
  const text = JSON.parse(textNode.textContent);
  const readingNode = document.getElementById("reading-entries");
  const readingEntries = readingNode ? JSON.parse(readingNode.textContent) : {};
  const modelRow = form.querySelector("[data-models]");
  const rowName = /^([a-z]+)-(\d+)-([a-z]+)$/;
  const cellName = /^cell-[a-z0-9]+-[a-z0-9]+$/;
  const QUADRANTS = ["strengths", "weaknesses", "opportunities", "threats"];
  const LISTS = ["criteria", ...QUADRANTS, "references"];
  // Fields that alone do not make a row: a row holding nothing else is dropped by the server.
  const BOOKKEEPING = new Set(["key", "kind", "language", "criterion"]);
  const MIN_MODELS = 2;
  const limits = {
    models: Number(form.dataset.maxModels),
    criteria: Number(form.dataset.maxCriteria),
    references: Number(form.dataset.maxReferences),
    ...Object.fromEntries(QUADRANTS.map((name) => [name, Number(form.dataset.maxItems)])),
  };
  let autosave = null;

  const fill = (template, values) => template.replace(/%\((\w+)\)[sd]/g, (_match, key) => values[key]);
  const normal = (value) => value.trim().replace(/\s+/g, " ").toLowerCase();
  const changed = () => autosave && autosave.changed();

  // Rows and columns --------------------------------------------------------------------------------------------------

  const listOf = (section) => form.querySelector(`[data-rows="${section}"]`);
  const rowsOf = (section) => Array.from(listOf(section).children).filter((node) => node.matches("[data-row]"));
  const modelHeads = () => Array.from(modelRow.querySelectorAll("[data-model]"));
  const nodesOf = (section) => (section === "models" ? modelHeads() : rowsOf(section));
  const sectionOf = (node) => (node.matches("[data-model]") ? "models" : node.parentElement.dataset.rows);
  const fieldOf = (node, name) => node.querySelector(`[data-field="${name}"]`);
  const keyOf = (node) => fieldOf(node, "key").value;
  const titleOf = (node) => node.querySelector("[data-row-title]").textContent;

  function copyOf(name) {
    return document.querySelector(`template[data-template="${name}"]`).content.firstElementChild.cloneNode(true);
  }

  function newKey(prefix) {
    const bytes = new Uint8Array(4);
    window.crypto.getRandomValues(bytes);
    return prefix + Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  }

  function renumber(section) {
    const nodes = nodesOf(section);
    const [before, after] = section === "models" ? ["left", "right"] : ["up", "down"];
    nodes.forEach((node, index) => {
      const prefix = `${section}-${index}`;
      const title = fill(text.rows[section], { number: index + 1 });
      node.querySelectorAll("[data-field]").forEach((field) => {
        field.name = `${prefix}-${field.dataset.field}`;
        field.id = `id_${field.name}`;
      });
      node.querySelectorAll("[data-for]").forEach((label) => (label.htmlFor = `id_${prefix}-${label.dataset.for}`));
      node.querySelector("[data-row-title]").textContent = title;
      if (node.hasAttribute("aria-label")) node.setAttribute("aria-label", title);
      const buttons = [
        [before, node.querySelector('[data-move="before"]')],
        [after, node.querySelector('[data-move="after"]')],
        ["remove", node.querySelector("[data-remove]")],
      ];
      for (const [action, button] of buttons) {
        const label = fill(text[action], { row: title });
        button.setAttribute("aria-label", label);
        button.title = label;
      }
      // aria-disabled rather than disabled: a button that loses its use keeps the keyboard focus it has.
      buttons[0][1].setAttribute("aria-disabled", String(index === 0));
      buttons[1][1].setAttribute("aria-disabled", String(index === nodes.length - 1));
    });
    if (section === "models" || section === "criteria") {
      layOutCells();
      refreshCriterionChoices();
    }
    refreshAddButtons();
  }

  // Every criterion's cells in the models' order: a cell for each model, named by both keys; a removed model's go.
  function layOutCells() {
    const keys = modelHeads().map(keyOf);
    for (const row of rowsOf("criteria")) {
      const cells = new Map(Array.from(row.querySelectorAll("[data-cell]"), (cell) => [cell.dataset.model, cell]));
      for (const [key, cell] of cells) if (!keys.includes(key)) cell.remove();
      for (const key of keys) {
        let cell = cells.get(key);
        if (!cell) {
          cell = copyOf("cell");
          cell.dataset.model = key;
        }
        row.append(cell);
        const area = cell.querySelector("[data-cell-text]");
        area.name = `cell-${keyOf(row)}-${key}`;
        area.id = `id_${area.name}`;
        cell.querySelector("label").htmlFor = area.id;
      }
    }
    relabelCells();
  }

  // A cell's label names its criterion and its model, as they are written (or numbered while they have no name).
  function relabelCells() {
    const models = new Map(
      modelHeads().map((head) => [keyOf(head), fieldOf(head, "name").value.trim() || titleOf(head)]),
    );
    for (const row of rowsOf("criteria")) {
      const criterion = fieldOf(row, "name").value.trim() || titleOf(row);
      row.querySelectorAll("[data-cell]").forEach((cell) => {
        cell.querySelector("[data-cell-criterion]").textContent = criterion;
        cell.querySelector("[data-cell-model]").textContent = models.get(cell.dataset.model) || "";
      });
    }
  }

  // The criteria a SWOT item may follow from: the named ones, as "2. Target group". A criterion whose name is being
  // retyped stays the choice of the items linked to it ("Criterion 2" meanwhile): only its removal unlinks them.
  function refreshCriterionChoices() {
    window.refreshLinkChoices(
      form,
      rowsOf("criteria").map((row, index) => {
        const name = fieldOf(row, "name").value.trim();
        const label = name ? `${index + 1}. ${name}` : fill(text.rows.criteria, { number: index + 1 });
        return { key: keyOf(row), label, listed: Boolean(name) };
      }),
    );
  }

  function refreshAddButtons() {
    const modelButton = document.querySelector("[data-add-model]");
    modelButton.disabled = modelHeads().length >= limits.models;
    form.querySelectorAll("[data-add]").forEach((button) => {
      button.disabled = nodesOf(button.dataset.add).length >= limits[button.dataset.add];
    });
  }

  function prepare(node) {
    node.querySelectorAll("[data-row-tools]").forEach((tools) => (tools.hidden = false));
    node.querySelectorAll("textarea").forEach(fit);
  }

  function addNode(section, key) {
    const node = copyOf(section);
    if (fieldOf(node, "key")) fieldOf(node, "key").value = key || newKey(section === "models" ? "m" : "c");
    (section === "models" ? modelRow : listOf(section)).append(node);
    prepare(node);
    renumber(section);
    if (node.querySelector("[data-criterion-choice]")) refreshCriterionChoices();
    return node;
  }

  const firstField = (node) =>
    Array.from(node.querySelectorAll("input:not([type=hidden]), textarea, select")).find(
      (field) => field.offsetParent !== null,
    );

  function cellsOf(head) {
    return Array.from(form.querySelectorAll(`[data-cell][data-model="${keyOf(head)}"] textarea`));
  }

  function hasContent(node) {
    const fields = Array.from(node.querySelectorAll("[data-field], [data-cell-text]"));
    const inColumn = node.matches("[data-model]") ? cellsOf(node) : [];
    return [...fields, ...inColumn].some(
      (field) => !BOOKKEEPING.has(field.dataset.field) && field.value.trim() !== "",
    );
  }

  function announce(message) {
    const node = document.getElementById("analysis-rows-status");
    node.textContent = "";
    window.setTimeout(() => (node.textContent = message), 50);
  }

  function move(node, direction) {
    const section = sectionOf(node);
    const sibling = direction === "before" ? node.previousElementSibling : node.nextElementSibling;
    if (!sibling || !sibling.matches(section === "models" ? "[data-model]" : "[data-row]")) return;
    if (direction === "before") node.parentElement.insertBefore(node, sibling);
    else node.parentElement.insertBefore(sibling, node);
    renumber(section);
    node.querySelector(`[data-move="${direction}"]`).focus();
    announce(fill(text.moved, { row: titleOf(node) }));
    changed();
  }

  function remove(node) {
    const section = sectionOf(node);
    const title = titleOf(node);
    if (hasContent(node) && !window.confirm(fill(text.confirmRemove, { row: title }))) return;
    const nodes = nodesOf(section);
    const neighbour = nodes[nodes.indexOf(node) + 1] || nodes[nodes.indexOf(node) - 1];
    node.remove();
    renumber(section);
    const adder = section === "models" ? "[data-add-model]" : `[data-add="${section}"]`;
    const target = (neighbour && firstField(neighbour)) || document.querySelector(adder);
    target.focus();
    announce(fill(text.removed, { row: title }));
    if (section === "references") refreshReadingMarks();
    changed();
  }

  function add(section) {
    if (nodesOf(section).length >= limits[section]) return null;
    const node = addNode(section);
    firstField(node).focus();
    announce(fill(text.added, { row: titleOf(node) }));
    return node;
  }

  // The suggested criteria the table does not have yet: into its empty rows first, then into new ones.
  function addSuggestedCriteria() {
    const present = new Set(rowsOf("criteria").map((row) => normal(fieldOf(row, "name").value)));
    const suggested = Array.from(document.querySelectorAll("#suggested-criteria option"), (option) => option.value);
    const missing = suggested.filter((name) => !present.has(normal(name)));
    let added = 0;
    for (const name of missing) {
      let row = rowsOf("criteria").find((candidate) => !hasContent(candidate));
      if (!row) {
        if (rowsOf("criteria").length >= limits.criteria) {
          announce(fill(text.fullCriteria, { limit: limits.criteria }));
          break;
        }
        row = addNode("criteria");
      }
      fieldOf(row, "name").value = name;
      added += 1;
    }
    if (!added) {
      announce(text.noSuggestions);
      return;
    }
    relabelCells();
    refreshCriterionChoices();
    announce(fill(text.suggestedAdded, { count: added }));
    changed();
  }

  // The course's reading list -----------------------------------------------------------------------------------------

  function readingIsAdded(entry, titles, addresses) {
    return titles.has(normal(entry.title || "")) || Boolean(entry.url && addresses.has(normal(entry.url)));
  }

  function refreshReadingMarks() {
    const rows = rowsOf("references");
    const titles = new Set(rows.map((row) => normal(fieldOf(row, "title").value)).filter(Boolean));
    const addresses = new Set(rows.map((row) => normal(fieldOf(row, "url").value)).filter(Boolean));
    document.querySelectorAll("[data-reading]").forEach((button) => {
      const added = readingIsAdded(readingEntries[button.dataset.reading], titles, addresses);
      button.setAttribute("aria-disabled", String(added));
      button.classList.toggle("is-added", added);
      button.querySelector("[data-reading-label]").textContent = added ? text.readingDone : text.readingAdd;
    });
  }

  function addFromReadingList(button) {
    if (button.getAttribute("aria-disabled") === "true") return;
    const entry = readingEntries[button.dataset.reading];
    let row = rowsOf("references").find((candidate) => !hasContent(candidate));
    if (!row) {
      if (rowsOf("references").length >= limits.references) {
        announce(text.fullReferences);
        return;
      }
      row = addNode("references");
    }
    for (const [field, value] of Object.entries(entry)) {
      const input = fieldOf(row, field);
      if (input) input.value = value;
    }
    row.querySelector("[data-preview]").textContent = "…";
    refreshReadingMarks();
    // The focus stays on the list, for the next entry; the student hears where this one went.
    announce(fill(text.readingAdded, { row: titleOf(row) }));
    changed();
  }

  // Events ------------------------------------------------------------------------------------------------------------

  document.addEventListener("click", (event) => {
    const target = event.target.closest("button");
    if (!target) return;
    if (target.matches("[data-add]")) add(target.dataset.add);
    else if (target.matches("[data-add-model]")) add("models");
    else if (target.matches("[data-add-suggested]")) addSuggestedCriteria();
    else if (target.matches("[data-reading]")) addFromReadingList(target);
    else if (target.matches("[data-move]") && target.getAttribute("aria-disabled") !== "true") {
      move(target.closest("[data-model], [data-row]"), target.dataset.move);
    } else if (target.matches("[data-remove]") && form.contains(target)) {
      remove(target.closest("[data-model], [data-row]"));
    }
  });

  const isWorkField = (field) => Boolean(field.name) && (rowName.test(field.name) || cellName.test(field.name));

  form.addEventListener("input", (event) => {
    const field = event.target;
    if (field.matches("textarea")) fit(field);
    if (field.matches("[data-model-name], [data-criterion-name]")) relabelCells();
    if (field.matches("[data-criterion-name]")) refreshCriterionChoices();
    if (field.closest('[data-rows="references"]') && ["title", "url"].includes(field.dataset.field)) {
      refreshReadingMarks();
    }
    if (isWorkField(field)) changed();
  });
  form.addEventListener("change", (event) => {
    // A <select> or a date picker reports only "change" in some browsers.
    if (event.target.matches("select, input[type=date]") && isWorkField(event.target)) changed();
  });

  // A text area grows with what is written in it, so that a cell reads whole.
  function fit(area) {
    area.style.height = "auto";
    area.style.height = `${area.scrollHeight + 2}px`;
  }

  // A new width (a phone turned, a window resized) wraps the texts anew.
  let resizeTimer = null;
  window.addEventListener("resize", () => {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(() => form.querySelectorAll("textarea").forEach(fit), 200);
  });

  // What each save answers --------------------------------------------------------------------------------------------

  function showList(list, messages) {
    list.replaceChildren(
      ...messages.map((message) => {
        const item = document.createElement("li");
        item.textContent = message;
        return item;
      }),
    );
  }

  function saved(answer, { current }) {
    const problems = answer.problems || [];
    const list = document.querySelector("[data-problems]");
    showList(list, problems);
    list.hidden = problems.length === 0;
    document.querySelector("[data-ready]").hidden = problems.length !== 0;
    const count = document.querySelector("[data-problem-count]");
    count.textContent = String(problems.length);
    count.classList.toggle("text-bg-warning", problems.length !== 0);
    count.classList.toggle("text-bg-success", problems.length === 0);
    const warnings = answer.warnings || [];
    showList(form.querySelector("[data-warnings]"), warnings);
    form.querySelector("[data-warnings-box]").hidden = warnings.length === 0;
    // The previews are of the references as the save carried them: shown only when the page still holds just that.
    if (!current) return;
    rowsOf("references").forEach((row, index) => {
      const preview = (answer.previews || {})[String(index)];
      // The server's own formatting, escaped there, with <i> for what the style sets in italics.
      row.querySelector("[data-preview]").innerHTML = preview || "—";
    });
  }

  // Putting back what this browser kept -------------------------------------------------------------------------------

  function valuesOf() {
    const values = [];
    for (const [name, value] of new FormData(form)) {
      if (typeof value === "string" && (rowName.test(name) || cellName.test(name))) values.push([name, value]);
    }
    return values;
  }

  function rowsIn(values) {
    const rows = {};
    for (const [name, value] of values) {
      const match = rowName.exec(name);
      if (!match) continue;
      const [, section, index, field] = match;
      rows[section] = rows[section] || {};
      rows[section][index] = rows[section][index] || {};
      rows[section][index][field] = value;
    }
    const ordered = {};
    for (const [section, numbered] of Object.entries(rows)) {
      ordered[section] = Object.keys(numbered)
        .map(Number)
        .sort((a, b) => a - b)
        .map((index) => numbered[index]);
    }
    return ordered;
  }

  function restore(values) {
    const rows = rowsIn(values);
    modelHeads().forEach((head) => head.remove());
    for (const model of rows.models || []) addNode("models", model.key);
    rowsOf("criteria").forEach((row) => row.remove());
    for (const criterion of rows.criteria || []) addNode("criteria", criterion.key);
    for (const section of LISTS.slice(1)) {
      const want = (rows[section] || []).length;
      rowsOf(section)
        .slice(want)
        .forEach((row) => row.remove());
      for (let count = rowsOf(section).length; count < want; count += 1) addNode(section);
      renumber(section);
    }
    renumber("models");
    renumber("criteria");
    const selects = [];
    for (const [name, value] of values) {
      const field = form.elements.namedItem(name);
      if (!field) continue;
      if (field.tagName === "SELECT") selects.push([field, value]);
      else field.value = value;
    }
    relabelCells();
    refreshCriterionChoices();
    for (const [field, value] of selects) field.value = value;
    form.querySelectorAll("[data-preview]").forEach((preview) => (preview.textContent = "…"));
    form.querySelectorAll("textarea").forEach(fit);
    refreshReadingMarks();
  }

  // A work's values as the server keeps them: rows holding nothing and empty cells dropped, spaces trimmed, so that a
  // copy kept here can be told apart from what the page shows.
  function comparable(values) {
    const cells = values
      .filter(([name, value]) => cellName.test(name) && value.trim() !== "")
      .map(([name, value]) => [name, value.trim()])
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const rows = rowsIn(values);
    const kept = { cells };
    for (const section of ["models", ...LISTS]) {
      kept[section] = (rows[section] || [])
        .map((row) => Object.fromEntries(Object.entries(row).map(([field, value]) => [field, value.trim()])))
        .filter((row) => Object.entries(row).some(([field, value]) => !BOOKKEEPING.has(field) && value !== ""))
        .map((row) => Object.keys(row).sort().map((field) => [field, row[field]]));
    }
    return JSON.stringify(kept);
  }

  // Start -------------------------------------------------------------------------------------------------------------

  function start() {
    // A spare column drawn for the page without its script goes while it is empty: "Add a model" brings one back.
    modelHeads().forEach((head) => {
      if (head.hasAttribute("data-spare") && modelHeads().length > MIN_MODELS && !hasContent(head)) {
        cellsOf(head).forEach((area) => area.closest("[data-cell]").remove());
        head.remove();
      }
    });
    modelHeads().forEach(prepare);
    LISTS.forEach((section) => rowsOf(section).forEach(prepare));
    renumber("models");
    LISTS.forEach(renumber);
    const buttons = document.querySelectorAll("[data-add], [data-add-model], [data-add-suggested], [data-reading]");
    buttons.forEach((button) => (button.hidden = false));
    refreshAddButtons();
    refreshReadingMarks();
    autosave = window.startAutosave(form, {
      storageKey: form.dataset.storageKey,
      text,
      values: valuesOf,
      restore,
      comparable,
      onSaved: saved,
      nodes: {
        status: document.querySelector("[data-status]"),
        saving: document.querySelector("[data-saving]"),
        errors: document.querySelector("[data-save-errors]"),
        reload: document.querySelector("[data-reload]"),
        kept: document.querySelector("[data-kept]"),
      },
    });
  }

  start();
})();
