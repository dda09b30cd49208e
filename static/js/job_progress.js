// A job's page while the file is prepared: the progress bar follows the job's status, and the page reloads once
// the job has ended, to show the link (or what went wrong). Without JavaScript the page refreshes itself.
(function () {
  "use strict";
  const card = document.querySelector("[data-status-url]");
  if (!card) {
    return;
  }
  const bar = card.querySelector("[data-progress-bar]");
  const meter = card.querySelector(".job-progress");
  const text = card.querySelector("[data-progress-text]");
  const started = Date.now();

  function show(status) {
    if (status.total > 0) {
      const percent = Math.round((100 * status.done) / status.total);
      bar.style.width = `${percent}%`;
      meter.setAttribute("aria-valuemax", status.total);
      meter.setAttribute("aria-valuenow", status.done);
      // The translated "{done} of {total} parts done", filled in.
      text.textContent = text.dataset.pattern.replace("{done}", status.done).replace("{total}", status.total);
    }
  }

  function poll() {
    fetch(card.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((status) => {
        if (status.state !== card.dataset.job) {
          window.location.reload();
          return;
        }
        show(status);
        schedule();
      })
      .catch(schedule);
  }

  function schedule() {
    // Every second for the first minute, then every three.
    window.setTimeout(poll, Date.now() - started < 60000 ? 1000 : 3000);
  }

  poll();
})();
