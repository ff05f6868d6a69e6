// Photos picked or taken on a phone: shown as thumbnails, each with a way to remove it, and
// made smaller before they are sent (a phone's camera gives 4-12 MB; a weak connection sends
// 300 KB far sooner). The server checks and re-encodes them anyway; without this script the
// input works as a plain file input.
(function () {
  "use strict";
  var MAX_SIDE = 1600, QUALITY = 0.85, SMALL = 500 * 1024;

  function shrink(file) {
    if (!window.createImageBitmap || !file.type.match(/^image\//)) return Promise.resolve(file);
    return createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      if (scale === 1 && file.size <= SMALL) return file;
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          if (!blob || blob.size >= file.size) return resolve(file);
          var name = file.name.replace(/\.[^.]+$/, "") + ".jpg";
          resolve(new File([blob], name, { type: "image/jpeg", lastModified: file.lastModified }));
        }, "image/jpeg", QUALITY);
      });
    }).catch(function () { return file; });
  }

  function thumbnail(file) {
    return createImageBitmap(file).then(function (bitmap) {
      var side = 96, scale = side / Math.max(bitmap.width, bitmap.height);
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return canvas.toDataURL("image/jpeg", 0.7);  // data: images are allowed by the CSP
    });
  }

  function setUp(input) {
    if (!window.DataTransfer || !window.createImageBitmap) return;
    var kept = [];
    var list = document.createElement("ul");
    list.className = "thumbs";
    input.insertAdjacentElement("afterend", list);

    function show() {
      var transfer = new DataTransfer();
      kept.forEach(function (file) { transfer.items.add(file); });
      input.files = transfer.files;
      list.replaceChildren();
      kept.forEach(function (file, n) {
        var item = document.createElement("li");
        var image = document.createElement("img");
        image.alt = file.name;
        thumbnail(file).then(function (url) { image.src = url; }).catch(function () {});
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "secondary";
        remove.textContent = input.dataset.remove || "×";
        remove.addEventListener("click", function () { kept.splice(n, 1); show(); });
        item.append(image, remove);
        list.append(item);
      });
    }

    var buttons = input.form ? input.form.querySelectorAll("button[type=submit]") : [];
    function ready(yes) {
      // No sending while the photos are being made smaller: they would go without them.
      Array.prototype.forEach.call(buttons, function (b) { b.disabled = !yes; });
      if (input.form) input.form.dataset.photosReady = yes ? "1" : "";
    }
    // A form emptied after a report was kept on the phone starts again without photos.
    if (input.form) input.form.addEventListener("reset", function () { kept = []; setTimeout(show); });
    input.addEventListener("change", function () {
      var picked = Array.prototype.slice.call(input.files);
      ready(false);
      Promise.all(picked.map(shrink)).then(function (files) {
        kept = kept.concat(files).slice(0, Number(input.dataset.max || 6));
        show();
        ready(true);
      });
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("input[type=file][data-photos]"), setUp);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
