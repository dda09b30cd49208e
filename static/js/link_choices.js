// The lists an editor's rows link through to another of its rows (an item's social-history criterion in СӨЖ 3, a
// SWOT item's criterion in СӨЖ 4), kept in step as the rows they name are added, renamed, moved and removed. Each
// page says which rows are listed and how each is labelled; written once here for both.
//
// refreshLinkChoices(root, choices): every [data-criterion-choice] select under ``root`` lists "—" and the
// ``choices`` ({key, label, listed}) that are listed. A select keeps what it names while that row exists, listed or
// not (a criterion whose name is being retyped keeps its items): only the row's removal unlinks them.
window.refreshLinkChoices = function refreshLinkChoices(root, choices) {
  root.querySelectorAll("[data-criterion-choice]").forEach((select) => {
    const chosen = select.value;
    const shown = choices.filter((choice) => choice.listed || (chosen && choice.key === chosen));
    select.replaceChildren(new Option("—", ""), ...shown.map((choice) => new Option(choice.label, choice.key)));
    select.value = shown.some((choice) => choice.key === chosen) ? chosen : "";
  });
};
