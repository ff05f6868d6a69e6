// On logging out, and on signing in (someone else may have left without logging out), the
// copies a service worker kept for offline use (the visit page with its households, a
// resident's report page) are dropped first, so the next person on a shared phone cannot open
// them.
(function () {
  "use strict";
  if (!window.caches) return;
  ["logout-form", "login-form", "phone-form"].forEach(function (id) {
    var form = document.getElementById(id);
    if (!form) return;
    form.addEventListener("submit", function (event) {
      if (form.dataset.cleared) return;
      event.preventDefault();
      caches.keys()
        .then(function (names) { return Promise.all(names.map(function (n) { return caches.delete(n); })); })
        .catch(function () {})
        .then(function () { form.dataset.cleared = "1"; form.submit(); });
    });
  });
})();

// Larger text (适老化): a button in the header, the choice kept on this phone.
(function () {
  "use strict";
  var KEY = "sanzhang.largeText";
  var root = document.documentElement;
  var button = document.getElementById("text-size");
  function apply(on) {
    root.classList.toggle("large-text", on);
    if (button) button.setAttribute("aria-pressed", on ? "true" : "false");
  }
  var stored = false;
  try { stored = localStorage.getItem(KEY) === "1"; } catch (e) { stored = false; }
  apply(stored);
  if (!button) return;
  button.hidden = false;  // it needs this script: shown only where it works
  button.addEventListener("click", function () {
    var on = !root.classList.contains("large-text");
    apply(on);
    try { localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* private mode: this page only */ }
  });
})();
