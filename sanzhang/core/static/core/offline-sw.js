// The service worker of a page that works with no signal (the leader's visit page, the
// resident's report page), served under that page's own path so that its scope is the page:
// the page (and what it loads) is kept on the phone, so it opens with no signal; the page
// itself queues what is typed on it.
// Network first, so a page with signal is always fresh; the copy is used only offline.
var CACHE = "sanzhang-offline-" + self.registration.scope;

self.addEventListener("install", function (event) { self.skipWaiting(); });
// The visit page's copy was kept under another name before: dropped, so it is never served.
self.addEventListener("activate", function (event) {
  event.waitUntil(caches.delete("sanzhang-visits-v1").then(function () { return self.clients.claim(); }));
});

// The page hands over its address and what it loaded on its first visit: kept at once, so the
// page opens offline from then on. Only this page and static files of this site are kept.
self.addEventListener("message", function (event) {
  var urls = (event.data && event.data.keep) || [];
  var scope = self.registration.scope.replace(self.location.origin, "");
  var wanted = urls.filter(function (u) {
    var url = new URL(u, self.location.origin);
    return url.origin === self.location.origin &&
      (url.pathname === scope || url.pathname.indexOf("/static/") === 0);
  });
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      return Promise.all(wanted.map(function (u) {
        return fetch(u, { credentials: "same-origin" }).then(function (response) {
          if (response.ok) return cache.put(u, response);
        });
      }));
    }).then(function () {
      if (event.source) event.source.postMessage({ kept: wanted.length });
    })
  );
});

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
      return caches.open(CACHE).then(function (cache) {
        return cache.match(request, { ignoreSearch: isPage });
      }).then(function (found) {
        return found || Response.error();
      });
    })
  );
});
