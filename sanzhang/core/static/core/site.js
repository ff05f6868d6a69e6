// On logging out, the copies a service worker kept for offline use (the visit page with its
// households) are dropped first, so the next person on a shared phone cannot open them.
(function () {
  "use strict";
  var form = document.getElementById("logout-form");
  if (!form || !window.caches) return;
  form.addEventListener("submit", function (event) {
    if (form.dataset.cleared) return;
    event.preventDefault();
    caches.keys()
      .then(function (names) { return Promise.all(names.map(function (n) { return caches.delete(n); })); })
      .catch(function () {})
      .then(function () { form.dataset.cleared = "1"; form.submit(); });
  });
})();
