// The assessment toolkit's editor (СӨЖ 3): the criteria, the instruments and each instrument's items added, removed
// and reordered by buttons that the keyboard reaches, or by dragging their handles; the criteria an item may serve kept
// in step with the list; a scale's anchors kept in step with its range (what was typed at a point stays with it); and
// the work saved as the student types (static/js/autosave.js), each save's answer bringing the checklist and the
// coverage table (drawn by the server).
// Without this script the page still works: "Save draft" posts the form, and each list has a spare empty row.
(function () {
  "use strict";
  const form = document.getElementById("toolkit-form");
  const textNode = document.getElementById("toolkit-text");
  if (!form || !textNode || !window.startAutosave) return;
  const text = JSON.parse(textNode.textContent);
  const workName = /^(category(_other)?|(criteria|instruments)-\d+-[a-z]+|instruments-\d+-items-\d+-[a-z_]+(-\d+)?)$/;
  const limits = {
    criteria: Number(form.dataset.maxCriteria),
    instruments: Number(form.dataset.maxInstruments),
    items: Number(form.dataset.maxItems),
  };
  const KEY_PREFIXES = { criteria: "c", instruments: "i", items: "q" };
  // Fields that alone do not make a row: a row holding nothing else is dropped by the server.
  const BOOKKEEPING = new Set(["key", "type", "answer", "criterion", "scale_from", "scale_to"]);
  const CHOICES = ["one_choice", "several_choices"];
  const anchorsTyped = new WeakMap(); // an item → what was typed at each point of its scale, kept while out of range
  let autosave = null;

  const fill = (template, values) => template.replace(/%\((\w+)\)[sd]/g, (_match, key) => values[key]);
  const changed = () => autosave && autosave.changed();

  // Rows ----------------------------------------------------------------------------------------------------------

  const criteriaList = form.querySelector('[data-rows="criteria"]');
  const instrumentList = form.querySelector('[data-rows="instruments"]');
  const rowsOf = (list) => Array.from(list.children).filter((node) => node.matches("[data-row]"));
  const itemList = (instrument) => instrument.querySelector('[data-rows="items"]');
  const listOf = (section, node) =>
    section === "criteria" ? criteriaList : section === "instruments" ? instrumentList : itemList(node);
  const sectionOf = (row) => row.parentElement.dataset.rows;
  // A row's own parts: an instrument holds items, whose fields and buttons are theirs, not its.
  const own = (row, selector) =>
    Array.from(row.querySelectorAll(selector)).filter((node) => node.closest("[data-row]") === row);
  const fieldOf = (row, name) => own(row, `[data-field="${name}"]`)[0];
  const keyOf = (row) => fieldOf(row, "key").value;
  const titleOf = (row) => row.getAttribute("aria-label");
  const toolOf = (row, selector) => own(row, selector)[0];

  const copyOf = (name) =>
    document.querySelector(`template[data-template="${name}"]`).content.firstElementChild.cloneNode(true);

  function newKey(prefix) {
    const bytes = new Uint8Array(4);
    window.crypto.getRandomValues(bytes);
    return prefix + Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  }

  // Names, ids, labels and titles follow each row's place: `criteria-<n>`, `instruments-<n>`, `…-items-<m>`.
  function name(row, prefix, title, spoken, index, count) {
    own(row, "[data-field]").forEach((field) => {
      field.name = `${prefix}-${field.dataset.field}`;
      field.id = `id_${field.name}`;
    });
    own(row, "[data-for]").forEach((label) => (label.htmlFor = `id_${prefix}-${label.dataset.for}`));
    own(row, "[data-row-title]")[0].textContent = title;
    row.setAttribute("aria-label", spoken);
    const buttons = [
      ["up", toolOf(row, '[data-move="before"]')],
      ["down", toolOf(row, '[data-move="after"]')],
      ["remove", toolOf(row, "[data-remove]")],
    ];
    for (const [action, button] of buttons) {
      const label = fill(text[action], { row: spoken });
      button.setAttribute("aria-label", label);
      button.title = label;
    }
    toolOf(row, "[data-drag-handle]").title = fill(text.drag, { row: spoken });
    // aria-disabled rather than disabled: a button that loses its use keeps the keyboard focus it has.
    buttons[0][1].setAttribute("aria-disabled", String(index === 0));
    buttons[1][1].setAttribute("aria-disabled", String(index === count - 1));
  }

  function renumber() {
    const criteria = rowsOf(criteriaList);
    criteria.forEach((row, index) => {
      const title = fill(text.rows.criteria, { number: index + 1 });
      name(row, `criteria-${index}`, title, title, index, criteria.length);
    });
    const instruments = rowsOf(instrumentList);
    instruments.forEach((instrument, number) => {
      const title = fill(text.rows.instruments, { number: number + 1 });
      name(instrument, `instruments-${number}`, title, title, number, instruments.length);
      const items = rowsOf(itemList(instrument));
      items.forEach((item, index) => {
        const spoken = fill(text.itemName, { number: index + 1, instrument: number + 1 });
        const title = fill(text.rows.items, { number: index + 1 });
        name(item, `instruments-${number}-items-${index}`, title, spoken, index, items.length);
      });
    });
    refreshCriterionChoices();
    refreshAddButtons();
  }

  // The criteria an item may serve, as "2. Family situation", or "Criterion 2" while unnamed (as the server draws
  // them). A criterion whose name is being retyped keeps the items linked to it: a select loses its choice only when
  // the criterion itself is removed.
  function refreshCriterionChoices() {
    window.refreshLinkChoices(
      form,
      rowsOf(criteriaList).map((row, index) => {
        const name = fieldOf(row, "name").value.trim();
        const label = name ? `${index + 1}. ${name}` : fill(text.rows.criteria, { number: index + 1 });
        return { key: keyOf(row), label, listed: hasContent(row) };
      }),
    );
  }

  function refreshAddButtons() {
    document.querySelectorAll("[data-add]").forEach((button) => {
      const section = button.dataset.add;
      button.disabled = rowsOf(listOf(section, button.closest("[data-instrument]"))).length >= limits[section];
    });
  }

  // A scale's anchors: an input for each point of its range; what was typed at a point comes back with it.
  function layOutAnchors(item) {
    const list = item.querySelector("[data-anchors]");
    const typed = anchorsTyped.get(item) || {};
    for (const node of list.querySelectorAll("[data-anchor]")) {
      typed[node.dataset.anchor] = node.querySelector("input").value;
    }
    anchorsTyped.set(item, typed);
    const lowest = Number(fieldOf(item, "scale_from").value);
    const highest = Number(fieldOf(item, "scale_to").value);
    const present = new Map(Array.from(list.children, (node) => [node.dataset.anchor, node]));
    const nodes = [];
    for (let point = lowest; point < highest + 1 && lowest < highest; point += 1) {
      nodes.push(present.get(String(point)) || newAnchor(point, typed[point] || ""));
    }
    list.replaceChildren(...nodes);
  }

  function newAnchor(point, value) {
    const node = copyOf("anchor");
    node.dataset.anchor = String(point);
    node.querySelector("[data-anchor-number]").textContent = String(point);
    node.querySelector("[data-anchor-label]").textContent = fill(text.anchor, { point });
    node.querySelector("label").dataset.for = `anchor-${point}`;
    const input = node.querySelector("input");
    input.dataset.field = `anchor-${point}`;
    input.value = value;
    return node;
  }

  function prepare(node) {
    node.querySelectorAll("[data-row-tools]").forEach((tools) => (tools.hidden = false));
    node.querySelectorAll("[data-add]").forEach((button) => (button.hidden = false));
    node.querySelectorAll("textarea").forEach(fit);
  }

  function addRow(section, list, key) {
    const node = copyOf(section);
    fieldOf(node, "key").value = key || newKey(KEY_PREFIXES[section]);
    list.append(node);
    prepare(node);
    return node;
  }

  const firstField = (node) =>
    Array.from(node.querySelectorAll("input:not([type=hidden]), textarea, select")).find(
      (field) => field.offsetParent !== null,
    );

  function hasContent(row) {
    return Array.from(row.querySelectorAll("[data-field]")).some(
      (field) => !BOOKKEEPING.has(field.dataset.field) && field.value.trim() !== "",
    );
  }

  function announce(message) {
    const node = document.getElementById("toolkit-rows-status");
    node.textContent = "";
    window.setTimeout(() => (node.textContent = message), 50);
  }

  function move(row, direction) {
    const sibling = direction === "before" ? row.previousElementSibling : row.nextElementSibling;
    if (!sibling || !sibling.matches("[data-row]")) return;
    if (direction === "before") row.parentElement.insertBefore(row, sibling);
    else row.parentElement.insertBefore(sibling, row);
    renumber();
    toolOf(row, `[data-move="${direction}"]`).focus();
    announce(fill(text.moved, { row: titleOf(row) }));
    changed();
  }

  function remove(row) {
    const title = titleOf(row);
    if (hasContent(row) && !window.confirm(fill(text.confirmRemove, { row: title }))) return;
    const rows = rowsOf(row.parentElement);
    const neighbour = rows[rows.indexOf(row) + 1] || rows[rows.indexOf(row) - 1];
    const section = sectionOf(row);
    const adder =
      section === "items"
        ? row.closest("[data-instrument]").querySelector('[data-add="items"]')
        : document.querySelector(`[data-add="${section}"]`);
    row.remove();
    renumber();
    ((neighbour && firstField(neighbour)) || adder).focus();
    announce(fill(text.removed, { row: title }));
    changed();
  }

  function add(button) {
    const section = button.dataset.add;
    const list = listOf(section, button.closest("[data-instrument]"));
    if (rowsOf(list).length >= limits[section]) return;
    const node = addRow(section, list);
    if (section === "instruments") addRow("items", itemList(node));
    renumber();
    firstField(node).focus();
    announce(fill(text.added, { row: titleOf(node) }));
  }

  // Dragging a row by its handle, among the rows of its own list ----------------------------------------------------

  let dragged = null;
  let dropAt = null; // [row, "before" | "after"]

  function clearDropMark() {
    form.querySelectorAll(".toolkit-edit-drop-before, .toolkit-edit-drop-after").forEach((node) => {
      node.classList.remove("toolkit-edit-drop-before", "toolkit-edit-drop-after");
    });
  }

  // The row of the dragged row's list that the pointer is over (an item over another instrument's items: none).
  function rowUnder(target) {
    let row = target instanceof Element ? target.closest("[data-row]") : null;
    while (row && row.parentElement !== dragged.parentElement) {
      row = row.parentElement.closest("[data-row]");
    }
    return row;
  }

  form.addEventListener("dragstart", (event) => {
    const handle = event.target instanceof Element && event.target.closest("[data-drag-handle]");
    if (!handle) return;
    dragged = handle.closest("[data-row]");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", "");
    event.dataTransfer.setDragImage(dragged, 16, 16);
    dragged.classList.add("toolkit-edit-dragged");
  });

  form.addEventListener("dragover", (event) => {
    if (!dragged) return;
    const row = rowUnder(event.target);
    if (!row) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    clearDropMark();
    if (row === dragged) {
      dropAt = null;
      return;
    }
    const box = row.getBoundingClientRect();
    const place = event.clientY > box.top + box.height / 2 ? "after" : "before";
    row.classList.add(`toolkit-edit-drop-${place}`);
    dropAt = [row, place];
  });

  form.addEventListener("drop", (event) => {
    if (!dragged) return;
    event.preventDefault();
    const row = dragged;
    if (dropAt) {
      const [target, place] = dropAt;
      target.parentElement.insertBefore(row, place === "before" ? target : target.nextElementSibling);
      renumber();
      announce(fill(text.moved, { row: titleOf(row) }));
      changed();
    }
  });

  form.addEventListener("dragend", () => {
    clearDropMark();
    if (dragged) dragged.classList.remove("toolkit-edit-dragged");
    dragged = null;
    dropAt = null;
  });

  // Events ------------------------------------------------------------------------------------------------------------

  form.addEventListener("click", (event) => {
    const target = event.target.closest("button");
    if (!target) return;
    if (target.matches("[data-add]")) add(target);
    else if (target.matches("[data-move]") && target.getAttribute("aria-disabled") !== "true") {
      move(target.closest("[data-row]"), target.dataset.move);
    } else if (target.matches("[data-remove]")) remove(target.closest("[data-row]"));
  });

  const isWorkField = (field) => Boolean(field.name) && workName.test(field.name);

  form.addEventListener("input", (event) => {
    const field = event.target;
    if (field.matches("textarea")) fit(field);
    if (field.matches("[data-criterion-name]")) refreshCriterionChoices();
    if (isWorkField(field)) changed();
  });
  form.addEventListener("change", (event) => {
    const field = event.target;
    if (field.matches("[data-scale-end]")) {
      layOutAnchors(field.closest("[data-item]"));
      renumber();
    }
    // A <select> reports only "change" in some browsers.
    if (field.matches("select") && isWorkField(field)) changed();
  });

  // A text area grows with what is written in it.
  function fit(area) {
    if (area.offsetParent === null) return; // hidden (an answer type that does not use it): fitted when shown
    area.style.height = "auto";
    area.style.height = `${area.scrollHeight + 2}px`;
  }

  let resizeTimer = null;
  window.addEventListener("resize", () => {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(() => form.querySelectorAll("textarea").forEach(fit), 200);
  });

  // What each save answers --------------------------------------------------------------------------------------------

  function saved(answer) {
    const problems = answer.problems || [];
    const list = document.querySelector("[data-problems]");
    list.replaceChildren(
      ...problems.map((message) => {
        const item = document.createElement("li");
        item.textContent = message;
        return item;
      }),
    );
    list.hidden = problems.length === 0;
    document.querySelector("[data-ready]").hidden = problems.length !== 0;
    const count = document.querySelector("[data-problem-count]");
    count.textContent = String(problems.length);
    count.classList.toggle("text-bg-warning", problems.length !== 0);
    count.classList.toggle("text-bg-success", problems.length === 0);
    // The server's own rendering of the toolkit as saved, escaped there.
    if (typeof answer.coverage_html === "string") {
      document.querySelector("[data-coverage]").innerHTML = answer.coverage_html;
    }
  }

  // Putting back what this browser kept -------------------------------------------------------------------------------

  function valuesOf() {
    const values = [];
    for (const [fieldName, value] of new FormData(form)) {
      if (typeof value === "string" && workName.test(fieldName)) values.push([fieldName, value]);
    }
    return values;
  }

  const sorted = (numbered) => Object.keys(numbered).map(Number).sort((a, b) => a - b).map((index) => numbered[index]);

  // The rows a copy's values describe: {category, criteria: [fields], instruments: [{fields, items: [fields]}]},
  // an item's anchors as its fields "anchor-<point>".
  function shapeOf(values) {
    const criteria = {};
    const instruments = {};
    const shape = { category: "", category_other: "" };
    for (const [fieldName, value] of values) {
      let match = /^criteria-(\d+)-([a-z]+)$/.exec(fieldName);
      if (match) {
        (criteria[match[1]] = criteria[match[1]] || {})[match[2]] = value;
        continue;
      }
      match = /^instruments-(\d+)-(?:items-(\d+)-)?([a-z_]+(?:-\d+)?)$/.exec(fieldName);
      if (match) {
        const instrument = (instruments[match[1]] = instruments[match[1]] || { fields: {}, items: {} });
        if (match[2] === undefined) instrument.fields[match[3]] = value;
        else (instrument.items[match[2]] = instrument.items[match[2]] || {})[match[3]] = value;
        continue;
      }
      if (fieldName in shape) shape[fieldName] = value;
    }
    shape.criteria = sorted(criteria);
    shape.instruments = sorted(instruments).map((instrument) => ({
      fields: instrument.fields,
      items: sorted(instrument.items),
    }));
    return shape;
  }

  function restore(values) {
    const shape = shapeOf(values);
    rowsOf(criteriaList).forEach((row) => row.remove());
    for (const criterion of shape.criteria) addRow("criteria", criteriaList, criterion.key);
    rowsOf(instrumentList).forEach((row) => row.remove());
    for (const instrument of shape.instruments) {
      const node = addRow("instruments", instrumentList, instrument.fields.key);
      for (const item of instrument.items) addRow("items", itemList(node), item.key);
    }
    renumber();
    const set = (entries) => {
      for (const [fieldName, value] of entries) {
        const field = form.elements.namedItem(fieldName);
        if (field && field.type !== "hidden") field.value = value;
      }
    };
    const isAnchor = ([fieldName]) => /-anchor-\d+$/.test(fieldName);
    const isSelect = ([fieldName]) => {
      const field = form.elements.namedItem(fieldName);
      return field && field.tagName === "SELECT";
    };
    set(values.filter((entry) => !isAnchor(entry) && !isSelect(entry)));
    refreshCriterionChoices();
    set(values.filter(isSelect));
    form.querySelectorAll("[data-item]").forEach(layOutAnchors);
    renumber();
    set(values.filter(isAnchor));
    form.querySelectorAll("textarea").forEach(fit);
  }

  // A toolkit's values as the server keeps them (toolkits.data.toolkit_from_form: empty rows dropped, spaces trimmed,
  // what an answer type does not use left out), so that a copy kept here can be told apart from what the page shows.
  function comparable(values) {
    const shape = shapeOf(values);
    const trim = (value) => (value || "").trim();
    const item = (fields) => {
      const options = trim(fields.options)
        .split("\n")
        .map(trim)
        .filter(Boolean);
      const anchors = Object.entries(fields)
        .filter(([field, value]) => field.startsWith("anchor-") && trim(value))
        .map(([field, value]) => [Number(field.slice(7)), trim(value)]);
      if (!trim(fields.text) && !options.length && !anchors.length) return null;
      const kept = { key: fields.key, text: trim(fields.text), criterion: fields.criterion, answer: fields.answer };
      if (CHOICES.includes(fields.answer)) kept.options = options;
      if (fields.answer === "scale") {
        kept.scale = [fields.scale_from, fields.scale_to];
        const [lowest, highest] = kept.scale.map(Number);
        kept.anchors = anchors.filter(([point]) => lowest <= point && point <= highest).sort(([a], [b]) => a - b);
      }
      return kept;
    };
    const instruments = shape.instruments
      .map(({ fields, items }) => ({
        key: fields.key,
        type: fields.type,
        title: trim(fields.title),
        purpose: trim(fields.purpose),
        instructions: trim(fields.instructions),
        items: items.map(item).filter(Boolean),
      }))
      .filter((kept) => kept.title || kept.purpose || kept.instructions || kept.items.length);
    return JSON.stringify({
      category: shape.category,
      other: shape.category === "other" ? trim(shape.category_other) : "",
      criteria: shape.criteria
        .map((row) => [row.key, trim(row.name), trim(row.definition)])
        .filter(([, rowName, definition]) => rowName || definition),
      instruments,
    });
  }

  // Start -------------------------------------------------------------------------------------------------------------

  function start() {
    // The spare instrument drawn for the page without its script goes while it is empty: "Add an instrument" brings
    // one back. A toolkit with no instrument yet keeps it, to start from.
    const spare = instrumentList.querySelector("[data-spare]");
    if (spare && rowsOf(instrumentList).length > 1 && !hasContent(spare)) spare.remove();
    rowsOf(criteriaList).forEach(prepare);
    rowsOf(instrumentList).forEach(prepare);
    document.querySelectorAll("[data-add]").forEach((button) => (button.hidden = false));
    renumber();
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
    const formsLink = document.querySelector("[data-forms-pdf]");
    if (formsLink) formsLink.addEventListener("click", printSaved);
  }

  // The blank forms print the last save: what was typed just before the click is saved first. One save is awaited
  // (with those it sends on for changes made meanwhile), for up to eight seconds; refused, stale or offline, the forms
  // of the last save come at once, and the status line says why.
  async function printSaved(event) {
    if (!autosave.isDirty()) return;
    event.preventDefault();
    const link = event.currentTarget; // gone from the event once it has been handled
    const saving = document.querySelector("[data-saving]");
    autosave.save();
    const giveUp = Date.now() + 8000;
    while (!saving.hidden && Date.now() < giveUp) {
      await new Promise((resolve) => window.setTimeout(resolve, 150));
    }
    window.location.assign(link.href);
  }

  start();
})();
