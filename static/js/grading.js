// The grading page's live totals: the same rules as grading/scoring.py, shown as the grader works.
// The server recomputes everything on save; this is only what the grader sees meanwhile.
(function () {
  "use strict";
  const dataNode = document.getElementById("grading-data");
  const form = document.getElementById("grade-form");
  if (!dataNode || !form) return;
  const data = JSON.parse(dataNode.textContent);
  const num = (value) => (value === null || value === undefined || value === "" ? null : Number(value));
  const maxPoints = num(data.maxPoints);
  const rubricMaximum = num(data.rubricMaximum);
  const zeroBelow = num(data.originalityZeroBelow);
  // Numbers the way the page's language writes them (Django's DECIMAL_SEPARATOR: "22,5" in Kazakh).
  const format = (value, digits) =>
    value === null ? "—" : String(Number(value.toFixed(digits))).replace(".", data.decimalSeparator);
  const roundTo = (value, step) => Math.round((value + Number.EPSILON) / step) * step;

  function bandFor(percent) {
    if (percent === null) return null;
    if (percent === 0) {
      const zero = data.bands.find((band) => num(band.min) === 0 && num(band.max) === 0);
      if (zero) return zero;
    }
    return data.bands
      .filter((band) => num(band.min) <= percent && num(band.max) > 0)
      .sort((a, b) => num(b.min) - num(a.min))[0] || null;
  }

  // The document's band rules (grading/scoring.py offered_band): a band whose originality threshold the work
  // misses, or that asks for work on time when it was late, gives way to the next band down.
  function offeredBand(percent, originality) {
    const earned = bandFor(percent);
    if (!earned) return { band: null, lowerings: [] };
    const candidates = data.bands
      .filter((band) => num(band.min) <= num(earned.min))
      .sort((a, b) => num(b.min) - num(a.min) || num(b.max) - num(a.max));
    const lowerings = [];
    for (const band of candidates) {
      const threshold = num(band.originalityMin);
      if (threshold !== null && originality !== null && originality < threshold) {
        lowerings.push({ band, why: "originality", threshold });
      } else if (band.onTime && data.late) {
        lowerings.push({ band, why: "late" });
      } else {
        return { band, lowerings };
      }
    }
    return { band: candidates[candidates.length - 1], lowerings };
  }

  // A band by its title in the reader's language and its range ("Хорошо, 70–89%"), not its Kazakh label as written.
  const bandName = (band) => `${band.title}, ${format(num(band.min), 0)}–${format(num(band.max), 0)}%`;

  const fill = (template, values) => template.replace(/%\((\w+)\)s/g, (_match, key) => values[key]);

  // Shows which condition lowered the band and what that does to the result; returns the capped values.
  function applyBandRule(percent, points, originality) {
    const box = document.getElementById("band-rule");
    const { band, lowerings } = offeredBand(percent, originality);
    if (!box || !lowerings.length) {
      if (box) box.hidden = !form.elements.band_kept_reason.value.trim();
      return { percent, points, band: bandFor(percent) };
    }
    box.hidden = false;
    const reasons = lowerings
      .map((item) =>
        item.why === "late"
          ? fill(box.dataset.needsOnTime, { band: bandName(item.band) })
          : fill(box.dataset.needsOriginality, { band: bandName(item.band), threshold: format(item.threshold, 1) + "%" }),
      )
      .join("; ");
    let text = fill(box.dataset.offered, { band: bandName(band), reasons });
    if (form.elements.band_kept_reason.value.trim()) {
      document.getElementById("band-rule-text").textContent = `${text} ${box.dataset.kept}`;
      return { percent, points, band: bandFor(percent) };
    }
    const capped = Math.min(percent, num(band.max));
    const cappedPoints = maxPoints === null ? null : roundTo((maxPoints * capped) / 100, 0.1);
    const before = maxPoints === null ? format(percent, 2) + "%" : format(points, 1);
    const after = maxPoints === null ? format(capped, 2) + "%" : format(cappedPoints, 1);
    if (before !== after) text += " " + fill(box.dataset.change, { before, after });
    document.getElementById("band-rule-text").textContent = text;
    return { percent: capped, points: cappedPoints, band };
  }

  function letterFor(percent) {
    if (percent === null) return null;
    return data.letters.filter((row) => num(row.min) <= percent).sort((a, b) => num(b.min) - num(a.min))[0] || null;
  }

  function fillRange(radio) {
    const fieldset = radio.closest("fieldset");
    const input = fieldset.querySelector(".criterion-points");
    const min = num(radio.dataset.min);
    const max = num(radio.dataset.max);
    input.min = min;
    input.max = max;
    const current = num(input.value);
    // The middle of the range: never on an edge, which would belong to the neighbouring level.
    if (current === null || current < min || current > max) input.value = (min + max) / 2;
  }

  function recompute() {
    const zeroNote = document.getElementById("live-zero-note");
    const originality = num(form.elements.originality_percent.value);
    const lowOriginality = originality !== null && originality < zeroBelow;
    zeroNote.hidden = !lowOriginality;
    document.getElementById("zero-confirm").classList.toggle("attention", lowOriginality);
    const zeroed = lowOriginality && form.elements.zero_confirmed.checked;

    // Nothing is shown as a result (no "F (0)") until the grade is complete: every criterion scored,
    // or the points or percentage entered.
    let points = null;
    let percent = null;
    if (rubricMaximum !== null) {
      let sum = 0;
      let complete = true;
      form.querySelectorAll("fieldset.criterion").forEach((fieldset) => {
        const value = num(fieldset.querySelector(".criterion-points").value);
        const chosen = fieldset.querySelector("input[type=radio]:checked");
        fieldset.classList.toggle("is-complete", Boolean(chosen) && value !== null);
        if (value === null || !chosen) complete = false;
        sum += value || 0;
      });
      document.getElementById("live-sum").textContent = format(sum, 2) + (complete ? "" : " …");
      if (complete) {
        percent = roundTo((sum * 100) / rubricMaximum, 0.01);
        points = maxPoints === null ? null : roundTo((maxPoints * sum) / rubricMaximum, 0.1);
      }
    } else if (maxPoints === null) {
      // A task without points is graded as a percentage, entered directly.
      percent = num(form.elements.percent && form.elements.percent.value);
    } else {
      points = num(form.elements.points && form.elements.points.value);
      percent = points === null || !maxPoints ? null : roundTo((points * 100) / maxPoints, 0.01);
    }
    if (zeroed) {
      points = maxPoints === null ? null : 0;
      percent = 0;
    }
    let band = bandFor(percent);
    if (percent !== null && !zeroed) ({ percent, points, band } = applyBandRule(percent, points, originality));
    const letter = letterFor(percent);
    const livePoints = document.getElementById("live-points");  // absent for a task graded as a percentage
    if (livePoints) livePoints.textContent = format(points, 1);
    document.getElementById("live-percent").textContent = percent === null ? "—" : format(percent, 2) + "%";
    document.getElementById("live-band").textContent = band ? bandName(band) : "—";
    document.getElementById("live-letter").textContent = letter ? `${letter.letter} (${format(num(letter.gpa), 2)})` : "—";
  }

  form.addEventListener("change", (event) => {
    if (event.target.matches("fieldset.criterion input[type=radio]")) fillRange(event.target);
    recompute();
  });
  form.addEventListener("input", recompute);
  form.querySelectorAll("fieldset.criterion input[type=radio]:checked").forEach((radio) => {
    const input = radio.closest("fieldset").querySelector(".criterion-points");
    input.min = radio.dataset.min;
    input.max = radio.dataset.max;
  });
  recompute();
})();
