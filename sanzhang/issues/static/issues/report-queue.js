// The resident's report form on a phone with no signal: the report is kept on the phone (with
// its own key) and sent when the connection returns; the key makes a resend the same report on
// the server, so each is stored exactly once. With signal the form posts as it always does.
// Offline, the report's words wait in localStorage and its photos (already made smaller) in
// IndexedDB, which keeps files; a phone that cannot keep them sends the words alone, and says so.
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form || !form.dataset.api) return;
  var STORE = "sanzhang.reports.queue." + form.dataset.owner;
  var REFUSED = "sanzhang.reports.refused." + form.dataset.owner;
  var sending = false;
  var keyField = form.querySelector("[name=intake_key]");
  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }
  // Every opening of the page gets its own key: a copy kept on the phone must never reuse the
  // key of a report already sent from it (the server would refuse it as a different report).
  keyField.value = newKey();

  function read(name) {
    try { return JSON.parse(localStorage.getItem(name)) || []; } catch (e) { return []; }
  }
  function write(name, list) { localStorage.setItem(name, JSON.stringify(list)); render(); }
  function say(text) { document.getElementById("queue-status").textContent = text; }
  function render() {
    var waiting = read(STORE).length;
    document.getElementById("waiting-count").textContent = String(waiting);
    document.getElementById("waiting").hidden = waiting === 0;
    var refused = read(REFUSED), list = document.getElementById("refused");
    list.hidden = refused.length === 0;
    list.replaceChildren.apply(list, refused.map(function (item) {
      var li = document.createElement("li");
      li.textContent = item.text.slice(0, 40) + ": " + item.error;
      return li;
    }));
  }
  function drop(key) {
    write(STORE, read(STORE).filter(function (r) { return r.intake_key !== key; }));
    photos("readwrite", function (store) { store.delete(key); });
  }

  // The photos of waiting reports, by the report's key. `photos(mode, use)` runs `use` on the
  // store and resolves with what it asked for (undefined when the phone has no IndexedDB).
  function photos(mode, use) {
    return new Promise(function (resolve) {
      if (!window.indexedDB) return resolve(undefined);
      var opening = indexedDB.open("sanzhang.reports." + form.dataset.owner, 1);
      opening.onupgradeneeded = function () { opening.result.createObjectStore("photos"); };
      opening.onerror = function () { resolve(undefined); };
      opening.onsuccess = function () {
        var db = opening.result, tx = db.transaction("photos", mode);
        var asked = use(tx.objectStore("photos"));
        tx.oncomplete = function () { db.close(); resolve(asked ? asked.result : true); };
        tx.onerror = tx.onabort = function () { db.close(); resolve(undefined); };
      };
    });
  }

  function flush() {
    if (sending || !navigator.onLine) return;
    var queue = read(STORE);
    if (!queue.length) return;
    sending = true;
    var item = queue[0];
    var token = form.querySelector("[name=csrfmiddlewaretoken]").value;
    var body = new FormData();
    ["text", "category", "place", "public_consent", "channel", "intake_key"].forEach(function (name) {
      if (item[name]) body.append(name, item[name]);
    });
    var kept = item.photos ? photos("readonly", function (store) { return store.get(item.intake_key); })
      : Promise.resolve(undefined);
    kept.then(function (files) {
      (files || []).forEach(function (file) { body.append("photos", file, file.name); });
      return fetch(form.dataset.api, {
        method: "POST", credentials: "same-origin",
        headers: { "X-CSRFToken": token, "Idempotency-Key": item.intake_key },
        body: body,
      });
    }).then(function (response) {
      if (response.ok) { drop(item.intake_key); return true; }
      if (response.status === 401) { say(form.dataset.login); return false; }
      if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
        return response.json().catch(function () { return {}; }).then(function (answer) {
          var detail = answer.detail;
          var reason = Array.isArray(detail)
            ? detail.map(function (d) { return d.msg || String(d); }).join("; ")
            : String(detail || response.status);
          if (response.status === 403 && /csrf/i.test(reason)) { say(form.dataset.login); return false; }
          write(REFUSED, read(REFUSED).concat([Object.assign({}, item, { error: reason })]));
          drop(item.intake_key);
          return true;
        });
      }
      return false;  // the server is in trouble: try again later
    }, function () { return false; })  // no signal: it waits
      .then(function (goOn) {
        sending = false;
        if (goOn && read(STORE).length) flush();
        else if (!read(STORE).length) say(form.dataset.sent);
      });
  }

  form.addEventListener("submit", function (event) {
    if (navigator.onLine) return;  // with signal: the form posts as usual
    event.preventDefault();
    var data = new FormData(form);
    var report = {
      text: data.get("text") || "",
      category: data.get("category") || "",
      place: data.get("place") || "",
      public_consent: data.get("public_consent") ? "on" : "",
      channel: data.get("on_rounds") ? "volunteer" : "",
      intake_key: data.get("intake_key"),
    };
    if (!report.text.trim()) return;
    var input = form.querySelector("input[type=file]");
    var files = input ? Array.prototype.slice.call(input.files) : [];
    // The photos first, then the words: a report queued before its photos were kept could be
    // sent (the signal back a moment later) without them.
    var kept = files.length
      ? photos("readwrite", function (store) { store.put(files, report.intake_key); })
      : Promise.resolve(false);
    kept.then(function (ok) {
      if (ok) report.photos = files.length;
      try {
        write(STORE, read(STORE).concat([report]));
      } catch (e) {
        say(form.dataset.full);  // the phone is full: the words stay in the form
        return;
      }
      form.reset();  // kept: the form is empty for the next report
      keyField.value = newKey();  // which gets its own key
      say(files.length && !ok ? form.dataset.savedNoPhotos : form.dataset.saved);
    });
  });

  window.addEventListener("online", flush);
  setInterval(flush, 10000);
  render();
  flush();
})();
