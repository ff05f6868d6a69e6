// A page that works with no signal (the form carries `data-worker`, its service worker's
// address): kept on the phone from the first visit. Once the worker runs it is handed this
// page and what it loaded, so the page opens offline even if it is never loaded again; once a
// worker controls the page it keeps each load itself. The form is marked `data-kept` once the
// page's copy is in the cache.
(function () {
  "use strict";
  var form = document.querySelector("form[data-worker]");
  if (!form || !("serviceWorker" in navigator)) return;
  navigator.serviceWorker.addEventListener("message", function (event) {
    if (event.data && event.data.kept) form.dataset.kept = "1";
  });
  navigator.serviceWorker.register(form.dataset.worker)
    .then(function () { return navigator.serviceWorker.ready; })
    .then(function (registration) {
      // Marked only once the copy is really there: a worker that claimed this page after it
      // loaded controls it, but never saw it load (CI's reload offline failed on that).
      return caches.match(location.href).then(function (found) {
        if (found) { form.dataset.kept = "1"; return; }
        var loaded = performance.getEntriesByType("resource").map(function (e) { return e.name; });
        if (registration.active) registration.active.postMessage({ keep: [location.href].concat(loaded) });
      });
    })
    .catch(function () {});
})();
