// The ST.13 number checker: after a check, bring the results where the eye is.
// (The form posts to "#results", so browsers without this script scroll there too.)
document.addEventListener("DOMContentLoaded", () => {
  const results = document.getElementById("results");
  const errors = document.getElementById("form-errors");
  const target = errors || results;
  if (target) {
    target.focus({ preventScroll: false });
    target.scrollIntoView({ block: "start" });
  }
});
