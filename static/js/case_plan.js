// The case plan editor: rows added, removed and reordered (by keyboard too), the goals an intervention may serve
// kept in step with the goals, organisations picked from the directory, and the draft saved as the student types.
//
// Nothing typed is lost, and nothing saved elsewhere is overwritten:
// - every change is kept in this browser (localStorage, one copy per page) until a save of it is answered;
// - one save at a time, each saying the revision the page holds: the server refuses it (409) when another tab or
//   device saved since; the page then stops saving, keeps its copy and offers a reload;
// - a save that fails (no connection, a server error) is tried again, with growing pauses; one refused for what it
//   holds (400) is tried again at the next change;
// - the page is saved when it is hidden, and a change still unsaved when it is left goes out with
//   navigator.sendBeacon; a beacon is never taken for a save: the copy stays, and the next visit drops it silently
//   once it finds the server holding the same plan;
// - on a visit, a copy made from the revision the page shows is put back and saved; one made from an older revision
//   is offered to the student, to put back or discard.
// Without this script the page still works: "Save draft" posts the form, and each section has a spare empty row.
(function () {
  "use strict";
  const form = document.getElementById("plan-form");
  const textNode = document.getElementById("plan-text");
  if (!form || !textNode) return;
  const text = JSON.parse(textNode.textContent);
  const statusNode = form.querySelector("[data-status]");
  const savingNode = form.querySelector("[data-saving]");
  const errorsNode = form.querySelector("[data-save-errors]");
  const reloadButton = form.querySelector("[data-reload]");
  const revisionField = form.elements.namedItem("revision");
  const storageKey = form.dataset.storageKey;
  const textSections = new Set(form.dataset.textSections.trim().split(/\s+/));
  const rowName = /^([a-z]+)-(\d+)-([a-z]+)$/;
  const SAVE_DELAY = 800; // ms of quiet before a save
  const RETRY_DELAYS = [2, 4, 8, 15, 30, 60]; // seconds between attempts after a failure
  // Bytes a save may carry and still outlive the page (fetch's keepalive, as a beacon, is limited to 64 KiB).
  const KEEPALIVE_LIMIT = 60000;
  // This page's copy is kept apart from those of other tabs, so that no tab overwrites or forgets another's changes.
  const pageKey = `${storageKey}:${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

  let revision = Number(form.dataset.revision);
  let changes = 0; // changes made on this page
  let savedChanges = 0; // of which the server has confirmed this many
  let sending = null; // the change count of the save in flight
  let sendingOutlives = false; // whether the save in flight goes on when the page is left
  let saveTimer = null;
  let retryTimer = null;
  let failures = 0; // failed attempts (no connection, a server error) since the last answer
  let stale = false; // another tab or device saved after this page's revision: this page saves no more
  let moved = false; // a beacon or the hand-in may have saved a revision this page does not know
  let leaving = false; // the page is left, or its form posted (Hand in, which carries every field): no more saves

  const fill = (template, values) => template.replace(/%\((\w+)\)[sd]/g, (_match, key) => values[key]);
  const isDirty = () => changes !== savedChanges;

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

  function keep() {
    try {
      const copy = { revision, values: planValues(), picked: pickedNames(), at: Date.now() };
      window.localStorage.setItem(pageKey, JSON.stringify(copy));
    } catch {
      // Storage full or refused (a private window): the save itself still goes out.
    }
  }

  function forget(key) {
    try {
      window.localStorage.removeItem(key);
    } catch {
      // Nothing kept, nothing to forget.
    }
  }

  // The copies earlier pages of this plan kept in this browser, the newest first: [key, copy].
  function keptCopies() {
    const copies = [];
    try {
      for (let index = 0; index < window.localStorage.length; index += 1) {
        const key = window.localStorage.key(index);
        if (key !== pageKey && key.startsWith(`${storageKey}:`)) {
          const copy = JSON.parse(window.localStorage.getItem(key) || "null");
          if (copy && Array.isArray(copy.values)) copies.push([key, copy]);
        }
      }
    } catch {
      return [];
    }
    return copies.sort(([, a], [, b]) => (b.at || 0) - (a.at || 0));
  }

  function setStatus(message, errors, { reload = false } = {}) {
    statusNode.textContent = message;
    errorsNode.replaceChildren(
      ...(errors || []).map((error) => {
        const item = document.createElement("li");
        item.textContent = error;
        return item;
      }),
    );
    errorsNode.hidden = !(errors && errors.length);
    reloadButton.hidden = !reload;
  }

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

  function changed() {
    changes += 1;
    keep();
    window.clearTimeout(saveTimer);
    saveTimer = window.setTimeout(save, SAVE_DELAY);
  }

  // The form as a save sends it: every field, the revision the page holds among them.
  function formBody() {
    const body = new URLSearchParams(new FormData(form));
    body.append("autosave", "1");
    return body;
  }

  function retryLater() {
    const delay = RETRY_DELAYS[Math.min(failures, RETRY_DELAYS.length - 1)];
    failures += 1;
    window.clearTimeout(retryTimer);
    retryTimer = window.setTimeout(save, delay * 1000);
  }

  async function save() {
    window.clearTimeout(saveTimer);
    window.clearTimeout(retryTimer);
    // One save at a time: the answer to the one in flight sends the changes made meanwhile.
    if (leaving || stale || !isDirty() || sending !== null) return;
    sending = changes;
    savingNode.hidden = false;
    const body = formBody();
    sendingOutlives = body.toString().length < KEEPALIVE_LIMIT;
    let response;
    try {
      response = await fetch(form.action, {
        method: "POST",
        body,
        headers: { "X-Requested-With": "fetch", Accept: "application/json" },
        credentials: "same-origin",
        keepalive: sendingOutlives,
      });
    } catch {
      response = null;
    }
    let goOn = false;
    try {
      goOn = await answered(response, sending);
    } finally {
      sending = null;
      savingNode.hidden = true;
    }
    if (goOn && isDirty()) save();
  }

  // Takes the answer to the save of the first ``sent`` changes; whether the changes made since may go out at once.
  async function answered(response, sent) {
    const isJson = response && (response.headers.get("Content-Type") || "").includes("application/json");
    const answer = isJson ? await response.json().catch(() => null) : null;
    if (response && response.ok && answer) {
      failures = 0;
      revision = answer.revision;
      form.dataset.revision = String(revision);
      revisionField.value = String(revision);
      savedChanges = sent;
      if (isDirty()) keep();
      else forget(pageKey);
      setStatus(fill(text.saved, { time: answer.saved_at }));
      showProblems(answer.problems);
      return true;
    }
    if (!response || response.status >= 500) {
      // No connection, or the server failed: the same changes are tried again, after a pause that grows.
      setStatus(response ? form.dataset.failedText : text.offline);
      retryLater();
      return false;
    }
    failures = 0;
    if (response.status === 409 && answer) {
      // Saved elsewhere since this page's revision: saving on would overwrite it. The copy kept here stays, marked
      // with this page's revision, for the student to put back or discard after the reload.
      stale = true;
      keep();
      setStatus(text.refused, answer.errors, { reload: true });
      return false;
    }
    if (response.status === 400 && answer) {
      // Refused (too long, an organisation gone): kept in this browser, and tried again once something changes.
      setStatus(text.refused, answer.errors);
      return changes !== sent;
    }
    // Signed out (a sign-in page came back), or the session's token is gone: tried again at the next change.
    setStatus(text.signedOut);
    return false;
  }

  reloadButton.addEventListener("click", () => window.location.reload());

  form.addEventListener("input", (event) => {
    if (event.target.closest("[data-search]")) return;
    if (event.target.matches("[data-goal-text]")) refreshGoalChoices();
    if (event.target.name && (textSections.has(event.target.name) || rowName.test(event.target.name))) changed();
  });
  form.addEventListener("change", (event) => {
    // A <select> or a date picker reports only "change" in some browsers.
    if (event.target.matches("select, input[type=date]") && !event.target.closest("[data-search]")) changed();
  });

  form.addEventListener("submit", (event) => {
    if (event.submitter && event.submitter.matches("[data-save]")) {
      event.preventDefault();
      if (!isDirty()) changes += 1; // the student asked for a save: make one
      save();
      return;
    }
    // Hand in: the form carries every field, and the server saves it first.
    leaving = true;
    moved = true;
    window.clearTimeout(saveTimer);
    window.clearTimeout(retryTimer);
  });

  // Hidden (another tab, another app): saved now rather than after the pause, and answered as any save, so that a
  // student coming back to the tab carries on from the revision the server holds.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") save();
  });
  // Left (the page is hidden after this, and saves no more): changes no save in flight carries go out with a beacon.
  // Its answer never comes back, so the copy kept here stays: the next visit compares it with the server's plan.
  window.addEventListener("pagehide", () => {
    const carried = sending === changes && sendingOutlives;
    if (!leaving && !stale && isDirty() && !carried && navigator.sendBeacon) {
      if (navigator.sendBeacon(form.action, formBody())) moved = true;
    }
    if (sending !== null) moved = true; // its answer may come to a page no longer there
    leaving = true;
  });
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted) return;
    // Back from the browser's cache. After a beacon or a hand-in the server may hold a revision this page does not
    // know: the page is drawn again, which compares the copy kept here with what the server holds.
    if (moved) window.location.reload();
    else leaving = false;
  });
  window.addEventListener("online", () => {
    if (failures) save();
  });

  // Putting back what an earlier visit kept ------------------------------------------------------------------------------

  function restore(copy) {
    const counts = {};
    for (const [name] of copy.values) {
      const match = rowName.exec(name);
      if (match) counts[match[1]] = Math.max(counts[match[1]] || 0, Number(match[2]) + 1);
    }
    for (const list of lists()) {
      const section = list.dataset.rows;
      const want = counts[section] || 0;
      let rows = rowsOf(list);
      rows.slice(want).forEach((row) => row.remove());
      for (let index = rows.length; index < want; index += 1) addRow(section);
      renumber(list);
      rows = rowsOf(list);
    }
    const selects = [];
    for (const [name, value] of copy.values) {
      const field = form.elements.namedItem(name);
      if (!field) continue;
      if (field.tagName === "SELECT") selects.push([field, value]);
      else field.value = value;
    }
    refreshGoalChoices();
    for (const [field, value] of selects) field.value = value;
    rowsOf(listOf("referrals")).forEach((row, index) => {
      const picked = (copy.picked || {})[index];
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

  // A copy an earlier page kept, made before a newer copy was saved elsewhere: the student puts it back or discards
  // it; it is never dropped unasked.
  function offer(key, copy) {
    const notice = form.querySelector("[data-kept]");
    const settle = (message) => {
      notice.hidden = true;
      setStatus(message);
      statusNode.closest("[role=status]").focus(); // the button pressed is gone: the focus goes to what happened
    };
    notice.querySelector("[data-kept-restore]").addEventListener("click", () => {
      restore(copy);
      changed(); // kept as this page's copy, and saved over the revision the page holds: the student chose it
      forget(key);
      settle(text.restored);
    });
    notice.querySelector("[data-kept-discard]").addEventListener("click", () => {
      forget(key);
      settle(text.dropped);
    });
    notice.hidden = false;
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

    // A hand-in refused shows again what it carried, which the server does not hold: kept, and saved at the next
    // change (or by the beacon on leaving).
    const unsaved = form.hasAttribute("data-unsaved");
    if (unsaved) {
      changes += 1;
      keep();
    }
    const shown = comparable(planValues());
    const copies = keptCopies().filter(([key, copy]) => {
      if (comparable(copy.values) !== shown) return true;
      forget(key); // the page shows it all (a beacon, or the hand-in, took it to the server)
      return false;
    });
    const current = unsaved ? undefined : copies.find(([, copy]) => copy.revision === revision);
    if (current) {
      restore(current[1]);
      setStatus(text.restored);
      changed();
      forget(current[0]);
    }
    const older = copies.find((entry) => entry !== current);
    if (older) offer(...older);
  }

  start();
})();
