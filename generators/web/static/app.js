// The wait page asks the job's status every half second and moves on when it is over (no page freezes;
// without JavaScript the page's meta refresh does the same, once a second).
(function () {
  var box = document.getElementById("job");
  if (!box) return;
  var id = box.getAttribute("data-job");
  function poll() {
    fetch("/jobs/" + encodeURIComponent(id), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (job) {
        if (job.state !== "running") { window.location.replace("/wait/" + encodeURIComponent(id)); return; }
        var bar = document.getElementById("bar");
        if (bar && job.total) { bar.max = job.total; bar.value = job.done; }
        var lines = document.getElementById("lines");
        if (lines) { lines.textContent = job.lines.join("\n"); }
        document.getElementById("seconds").textContent = job.seconds;
        setTimeout(poll, 500);
      })
      .catch(function () { setTimeout(poll, 1000); });
  }
  setTimeout(poll, 300);
})();
