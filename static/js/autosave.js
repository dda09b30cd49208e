// Saving a form as it is typed, for the pages where a student builds work in the portal (the analytical work, the
// case plan). A page calls startAutosave(form, options) once its own fields are ready.
//
// Nothing typed is lost, and nothing saved elsewhere is overwritten:
// - every change is kept in this browser (localStorage, one copy per page) until a save of it is answered;
// - one save at a time, each saying the revision the page holds (the form's "revision" field): the server refuses it
//   (409) when another tab or device saved since; the page then stops saving, keeps its copy and offers a reload;
// - a save that fails (no connection, a server error) is tried again, with growing pauses; one refused for what it
//   holds (400) shows the server's reasons and is tried again at the next change;
// - the page is saved when it is hidden, and a change still unsaved when it is left goes out with
//   navigator.sendBeacon; a beacon is never taken for a save: the copy stays, and the next visit drops it silently
//   once it finds the server holding the same work;
// - on a visit, a copy made from the revision the page shows is put back and saved; one made from an older revision
//   is offered to the student, to put back or discard.
//
// The server answers a save in JSON: 200 {revision, saved_at, …} (the rest is the page's: options.onSaved reads it),
// 400 {errors, stale: false}, 409 {errors, stale: true}. A save is the whole form with "autosave=1" added, sent with
// the header X-Requested-With: fetch (a beacon cannot set it: "autosave" tells the server). The revision the page holds
// is kept in step in the form's "revision" field, and in its data-revision attribute when it has one.
//
// options:
//   storageKey   the prefix of this work's copies in localStorage (one work of one student);
//   text         {saved ("… %(time)s"), offline, failed, refused, signedOut, restored, dropped};
//   values()     the [name, value] pairs the work is made of: what a copy keeps and what is compared;
//   restore(values, copy)  put a kept copy's values back into the page (rows added or removed to hold them);
//   comparable(values)     a string equal for two lists of values the server would keep as the same work;
//   onSaved(answer, {current})  the page takes a save's answer (current: no change was made since it was sent);
//   extra()      anything more a copy keeps for restore(), as copy.extra (optional);
//   nodes        {status, saving, errors, reload, kept}: the status line, the "Saving…" mark, the list of a refusal's
//                reasons, the reload button, the notice offering an older copy (with [data-kept-restore] and
//                [data-kept-discard] buttons);
//   isSaveButton(button)  whether a submit button asks for a save rather than posting the form (default:
//                [data-save]).
// Returns {changed(), save(), isDirty()}: the page calls changed() after every change it makes or sees.
(function () {
  "use strict";
  const SAVE_DELAY = 800; // ms of quiet before a save
  const RETRY_DELAYS = [2, 4, 8, 15, 30, 60]; // seconds between attempts after a failure
  // Bytes a save may carry and still outlive the page (fetch's keepalive, as a beacon, is limited to 64 KiB).
  const KEEPALIVE_LIMIT = 60000;

  const fill = (template, values) => template.replace(/%\((\w+)\)[sd]/g, (_match, key) => values[key]);

  function startAutosave(form, options) {
    const text = options.text;
    const nodes = options.nodes;
    const revisionField = form.elements.namedItem("revision");
    const storageKey = options.storageKey;
    const isSaveButton = options.isSaveButton || ((button) => button.matches("[data-save]"));
    const comparable = options.comparable || ((values) => JSON.stringify(values));
    // This page's copy is kept apart from those of other tabs, so that no tab overwrites or forgets another's changes.
    const pageKey = `${storageKey}:${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

    let revision = Number(revisionField.value);
    let changes = 0; // changes made on this page
    let savedChanges = 0; // of which the server has confirmed this many
    let sending = null; // the change count of the save in flight
    let sendingOutlives = false; // whether the save in flight goes on when the page is left
    let saveTimer = null;
    let retryTimer = null;
    let failures = 0; // failed attempts (no connection, a server error) since the last answer
    let stale = false; // another tab or device saved after this page's revision: this page saves no more
    let moved = false; // a beacon or the hand-in may have saved a revision this page does not know
    let leaving = false; // the page is left, or its form posted (a hand-in, which carries every field): no more saves

    const isDirty = () => changes !== savedChanges;

    // The copy kept in this browser --------------------------------------------------------------------------------

    function keep() {
      try {
        const copy = { revision, values: options.values(), at: Date.now() };
        if (options.extra) copy.extra = options.extra();
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

    // The copies earlier pages of this work kept in this browser, the newest first: [key, copy].
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

    // What the student reads ----------------------------------------------------------------------------------------

    function setStatus(message, errors, { reload = false } = {}) {
      nodes.status.textContent = message;
      nodes.errors.replaceChildren(
        ...(errors || []).map((error) => {
          const item = document.createElement("li");
          item.textContent = error;
          return item;
        }),
      );
      nodes.errors.hidden = !(errors && errors.length);
      nodes.reload.hidden = !reload;
    }

    // Saving --------------------------------------------------------------------------------------------------------

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
      nodes.saving.hidden = false;
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
        nodes.saving.hidden = true;
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
        revisionField.value = String(revision);
        if ("revision" in form.dataset) form.dataset.revision = String(revision);
        savedChanges = sent;
        if (isDirty()) keep();
        else forget(pageKey);
        setStatus(fill(text.saved, { time: answer.saved_at }));
        if (options.onSaved) options.onSaved(answer, { current: !isDirty() });
        return true;
      }
      if (!response || response.status >= 500) {
        // No connection, or the server failed: the same changes are tried again, after a pause that grows.
        setStatus(response ? text.failed : text.offline);
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
      if (response.status === 400) {
        // Refused (too long, too many rows; or, with no JSON, refused before the view read it): kept in this
        // browser, and tried again once something changes.
        setStatus(text.refused, answer ? answer.errors : []);
        return changes !== sent;
      }
      // Signed out (a sign-in page came back), or the session's token is gone: tried again at the next change.
      setStatus(text.signedOut);
      return false;
    }

    nodes.reload.addEventListener("click", () => window.location.reload());

    form.addEventListener("submit", (event) => {
      if (event.submitter && isSaveButton(event.submitter)) {
        event.preventDefault();
        if (!isDirty()) changes += 1; // the student asked for a save: make one
        save();
        return;
      }
      // Any other submit (a hand-in) carries every field, and the server saves it first.
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
    // Its answer never comes back, so the copy kept here stays: the next visit compares it with the server's work.
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

    // Putting back what an earlier visit kept -------------------------------------------------------------------------

    // A copy an earlier page kept, made before a newer copy was saved elsewhere: the student puts it back or discards
    // it; it is never dropped unasked.
    function offer(key, copy) {
      const notice = nodes.kept;
      const settle = (message) => {
        notice.hidden = true;
        setStatus(message);
        nodes.status.closest("[role=status]").focus(); // the button pressed is gone: the focus goes to what happened
      };
      notice.querySelector("[data-kept-restore]").addEventListener("click", () => {
        options.restore(copy.values, copy);
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

    // A refused save (or hand-in) shows again what it carried, which the server does not hold: kept, and saved at
    // the next change (or by the beacon on leaving).
    const unsaved = form.hasAttribute("data-unsaved");
    if (unsaved) {
      changes += 1;
      keep();
    }
    const shown = comparable(options.values());
    const copies = keptCopies().filter(([key, copy]) => {
      if (comparable(copy.values) !== shown) return true;
      forget(key); // the page shows it all (a beacon, or the hand-in, took it to the server)
      return false;
    });
    const current = unsaved ? undefined : copies.find(([, copy]) => copy.revision === revision);
    if (current) {
      options.restore(current[1].values, current[1]);
      setStatus(text.restored);
      changed();
      forget(current[0]);
    }
    const older = copies.find((entry) => entry !== current);
    if (older) offer(...older);

    return { changed, save: () => save(), isDirty };
  }

  window.startAutosave = startAutosave;
})();
