// "Somewhere else" without typing: a grid tapped on the map, or the phone's own location, comes
// back from the server as the one place to choose (the same list the name search fills). The
// map is fetched only when asked for; without scripts each grid is a plain link.
(function () {
  "use strict";
  var results = document.getElementById("place-results");
  var locate = document.getElementById("locate");
  if (!results || !window.htmx) return;
  var url = results.getAttribute("data-url");

  document.addEventListener("click", function (event) {
    var grid = event.target.closest && event.target.closest("[data-pick]");
    if (!grid) return;
    event.preventDefault();
    document.querySelectorAll(".grid-map .picked").forEach(function (el) {
      el.classList.remove("picked");
    });
    grid.classList.add("picked");
    htmx.ajax("GET", url + "?pick=" + encodeURIComponent(grid.getAttribute("data-pick")),
      { target: results });
  });

  if (!locate || !navigator.geolocation) return;
  locate.hidden = false;
  locate.addEventListener("click", function () {
    results.textContent = locate.getAttribute("data-wait");
    navigator.geolocation.getCurrentPosition(function (position) {
      // About 11 m is enough to find a grid; the exact spot would sit in the servers' logs.
      var query = "?lat=" + position.coords.latitude.toFixed(4) +
        "&lng=" + position.coords.longitude.toFixed(4);
      htmx.ajax("GET", url + query, { target: results });
    }, function () {
      results.textContent = locate.getAttribute("data-refused");
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  });
})();
