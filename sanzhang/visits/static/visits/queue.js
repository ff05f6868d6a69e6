// The visit form on a leader's phone: each visit is put in a queue on the phone first (with
// its own key), then sent; with no signal it waits, and is sent when the connection returns.
// The key makes a resend the same visit on the server, so each is stored exactly once.
(function () {
  "use strict";
  var form = document.getElementById("visit-form");
  if (!form) return;
  // Each account's queue apart: on a shared phone nobody sends another leader's visits, and
  // what a leader typed waits for them until they log in again.
  var STORE = "sanzhang.visits.queue." + form.dataset.owner;
  var REFUSED = "sanzhang.visits.refused." + form.dataset.owner;
  var api = form.dataset.api;
  var sending = false;

  function read(name) {
    try { return JSON.parse(localStorage.getItem(name)) || []; } catch (e) { return []; }
  }
  function write(name, list) { localStorage.setItem(name, JSON.stringify(list)); render(); }
  function say(text) { document.getElementById("queue-status").textContent = text; }
  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  function render() {
    var waiting = read(STORE).length;
    document.getElementById("waiting-count").textContent = String(waiting);
    document.getElementById("waiting").hidden = waiting === 0;
    var refused = read(REFUSED), list = document.getElementById("refused");
    list.hidden = refused.length === 0;
    list.replaceChildren.apply(list, refused.map(function (item) {
      var li = document.createElement("li");
      li.textContent = (item.heard || item.problem || item.key).slice(0, 40) + ": " + item.error;
      return li;
    }));
  }
  function drop(key) { write(STORE, read(STORE).filter(function (v) { return v.key !== key; })); }

  function flush() {
    if (sending) return;
    var queue = read(STORE);
    if (!queue.length) return;
    sending = true;
    var item = queue[0];
    var token = form.querySelector("[name=csrfmiddlewaretoken]").value;
    fetch(api, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify(item),
    }).then(function (response) {
      if (response.ok) {
        drop(item.key);
        return true;
      }
      if (response.status === 401) {
        say(form.dataset.login);
        return false;
      }
      if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          var reason = String(body.detail || response.status);
          if (response.status === 403 && /csrf/i.test(reason)) {
            say(form.dataset.login);  // the session changed: log in again, nothing is lost
            return false;
          }
          // Refused as it is: keep it, with the reason, where the leader sees it.
          write(REFUSED, read(REFUSED).concat([Object.assign({}, item, { error: reason })]));
          drop(item.key);
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
    event.preventDefault();
    var data = new FormData(form);
    var contact = data.get("contact_in_group");
    var visit = {
      key: newKey(),
      kind: data.get("kind"),
      household: data.get("household") ? Number(data.get("household")) : null,
      met: data.get("met") || "",
      heard: data.get("heard") || "",
      contact_in_group: contact === "yes" ? true : contact === "no" ? false : null,
      problem: data.get("problem") || "",
      visited_at: new Date().toISOString(),
    };
    write(STORE, read(STORE).concat([visit]));
    form.reset();
    say(form.dataset.saved);
    flush();
  });
  // The household picker: typing part of a building, unit, door or name keeps only the
  // households that match every word (all on the phone: it works with no signal).
  var filter = document.getElementById("household-filter");
  var picker = document.getElementById("household");
  var count = document.getElementById("household-count");
  if (filter && picker) {
    filter.addEventListener("input", function () {
      var words = filter.value.trim().split(/\s+/).filter(Boolean);
      var shown = [];
      Array.prototype.forEach.call(picker.options, function (option) {
        if (!option.value) return;
        var match = words.every(function (w) { return option.text.indexOf(w) !== -1; });
        option.hidden = !match;
        option.disabled = !match;  // iOS Safari's picker ignores hidden options
        if (match) shown.push(option);
      });
      if (shown.length === 1) picker.value = shown[0].value;
      else if (picker.selectedOptions.length && picker.selectedOptions[0].hidden) picker.value = "";
      count.textContent = words.length ? count.dataset.template.replace("COUNT", shown.length) : "";
    });
  }

  window.addEventListener("online", flush);
  setInterval(flush, 10000);
  render();
  flush();
})();
