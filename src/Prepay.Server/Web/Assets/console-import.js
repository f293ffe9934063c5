// The import page's progress: while the job runs, ask the page's JSON handler (data-progress) every second, move the
// progress bar and the status line, and reload the page once the job is finished so the server draws its outcome.
// No inline script (the CSP forbids it); without scripts the page's Refresh link does the same by hand.
(function () {
  'use strict';
  var job = document.getElementById('import-job');
  if (!job || job.getAttribute('data-finished') === 'true') { return; }
  var url = job.getAttribute('data-progress');
  function text(id, value) {
    var el = document.getElementById(id);
    if (el) { el.textContent = String(value); }
  }
  function poll() {
    fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (p) {
        if (!p) { return; }
        if (p.finished) { window.location.reload(); return; }
        var bar = document.getElementById('import-progress');
        if (bar) { bar.max = Math.max(p.rows, 1); bar.value = p.checked; bar.textContent = p.checked + ' of ' + p.rows; }
        text('import-phase', p.phase);
        text('import-checked', p.checked);
        text('import-rows', p.rows);
        text('import-written', p.written);
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
}());
