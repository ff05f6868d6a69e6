// The visit page's service worker: the page (and what it loads) is kept on the phone, so a
// leader with no signal can still open it and type visits; the page itself queues them.
// Network first, so a page with signal is always fresh; the copy is used only offline.
var CACHE = "sanzhang-visits-v1";

self.addEventListener("install", function (event) { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;  // visits are sent by the page's queue, not cached
  var url = new URL(request.url);
  var isPage = url.pathname === self.registration.scope.replace(self.location.origin, "");
  var isAsset = url.pathname.indexOf("/static/") === 0;
  if (!isPage && !isAsset) return;
  event.respondWith(
    fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    }).catch(function () {
      return caches.match(request, { ignoreSearch: isPage }).then(function (found) {
        return found || Response.error();
      });
    })
  );
});
