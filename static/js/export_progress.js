// Long exports (a whole course's grade sheet can take several seconds): show that the file is being
// prepared until the server answers. The export view sets the cookie "export_done" to our token.
(function () {
  "use strict";
  document.querySelectorAll("a[data-export]").forEach((link) => {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      const status = document.getElementById("export-status");
      const token = Math.random().toString(36).slice(2, 14) + Date.now().toString(36);
      const url = new URL(link.href, window.location.href);
      url.searchParams.set("token", token);
      status.hidden = false;
      link.classList.add("disabled");
      link.setAttribute("aria-disabled", "true");
      const started = Date.now();
      const timer = window.setInterval(() => {
        const done = document.cookie.split("; ").some((part) => part === `export_done=${token}`);
        const seconds = Math.round((Date.now() - started) / 1000);
        status.querySelector(".elapsed").textContent = seconds;
        if (done || seconds > 300) {
          window.clearInterval(timer);
          status.hidden = true;
          link.classList.remove("disabled");
          link.removeAttribute("aria-disabled");
        }
      }, 400);
      window.location.href = url.toString();
    });
  });
})();
