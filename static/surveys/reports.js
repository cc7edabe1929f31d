/* Downloads are built on request; the whole-report PDF takes several seconds. Show that
   something is happening until the server's cookie says the file has been sent. Without
   JavaScript the links work the same, only without this note. */
(function () {
  var status = document.querySelector(".download-status");
  if (!status) { return; }
  var timer = null;
  function cookie(name) {
    var match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return match ? match[1] : null;
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-download]");
    if (!link) { return; }
    var token = String(Date.now()) + String(Math.floor(Math.random() * 1e6));
    var url = new URL(link.href, window.location.href);
    url.searchParams.set("download", token);
    link.href = url.toString();
    var started = Date.now();
    var what = link.getAttribute("data-download");
    // The sentences come translated from the page: {what} and {seconds} are filled in here.
    function say(attribute, seconds) {
      return (status.getAttribute(attribute) || "")
        .replace("{what}", what)
        .replace("{seconds}", String(seconds));
    }
    if (timer) { clearInterval(timer); }
    status.textContent = say("data-preparing", 0);
    timer = setInterval(function () {
      var seconds = Math.round((Date.now() - started) / 1000);
      if (cookie("report_download") === token) {
        clearInterval(timer);
        status.textContent = say("data-ready", seconds);
      } else if (seconds > 180) {
        clearInterval(timer);
        status.textContent = "";
      } else {
        status.textContent = say("data-waiting", seconds);
      }
    }, 500);
  });
})();
