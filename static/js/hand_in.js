// The hand-in form: list every file picked before it is handed in (a browser shows only how many), flag a name the
// version already holds (the server would refuse it), and keep a second press from sending the hand-in twice.
(function () {
  "use strict";
  const form = document.querySelector("form[data-hand-in]");
  if (!form) {
    return;
  }
  const input = form.querySelector('input[type="file"]');
  const list = form.querySelector(".picked-files");
  const taken = new Set(
    Array.from(document.querySelectorAll(".draft-files [data-name]"), (item) => item.dataset.name.toLocaleLowerCase()),
  );

  input.addEventListener("change", () => {
    list.replaceChildren();
    for (const file of input.files) {
      const item = document.createElement("li");
      item.textContent = file.name;
      if (taken.has(file.name.toLocaleLowerCase())) {
        item.classList.add("text-danger");
        const note = document.createElement("div");
        note.textContent = form.dataset.duplicateNote;
        item.append(note);
      }
      list.append(item);
    }
    list.hidden = input.files.length === 0;
  });

  form.addEventListener("submit", () => {
    // After the browser has taken the pressed button (and its formaction) into the submission.
    window.setTimeout(() => {
      form.querySelectorAll('button[type="submit"]').forEach((button) => {
        button.disabled = true;
      });
    }, 0);
  });
})();
