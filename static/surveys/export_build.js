/* The progress page of a report file: asks the server where the build stands every two
   seconds and shows it; once the file is ready, the download link appears. Without
   JavaScript the page reloads itself instead (and has a "Check again" link). */
(function () {
  var box = document.querySelector(".export-build[data-status-url]");
  if (!box) { return; }
  var state = box.getAttribute("data-state");
  if (state !== "queued" && state !== "running") { return; }
  var url = box.getAttribute("data-status-url");
  function part(role) { return box.querySelector("[data-role=" + role + "]"); }
  function show(status) {
    var label = part("label"), message = part("message"), progress = part("progress");
    var file = part("file"), check = part("check");
    if (label) { label.textContent = status.label; }
    if (message) {
      message.textContent = status.message;
      message.classList.toggle("message", status.state === "failed");
      message.classList.toggle("message-error", status.state === "failed");
    }
    if (progress) {
      progress.max = status.total;
      progress.value = status.done;
      progress.hidden = status.state === "done" || status.state === "failed";
    }
    if (file && status.file_url) {
      file.querySelector("a").href = status.file_url;
      file.hidden = false;
    }
    if (check && (status.state === "done" || status.state === "failed")) { check.hidden = true; }
    box.setAttribute("data-state", status.state);
  }
  function poll() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (status) {
        show(status);
        if (status.state === "failed" || (status.state === "done" && !part("file"))) {
          // Loaded afresh, the page shows the "Build it again" form, or (for a visitor's
          // download address) the file itself.
          window.location.reload();
        } else if (status.state !== "done") {
          window.setTimeout(poll, 2000);
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
