// Newsstand's few lines of script. Every page works without them: they add keyboard
// shortcuts (j/k next and previous story, o open, s save, ? help), keep pages for offline
// reading through the service worker, and apply the footer's language choice at once.
(function () {
  "use strict";

  if ("serviceWorker" in navigator) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
    });
  }

  // Saved articles stay readable offline: a save button (data-save) asks the worker to
  // keep the article's page; data-unsave lets it go.
  window.newsstand = {
    keepOffline: function (url, keep) {
      var worker = navigator.serviceWorker && navigator.serviceWorker.controller;
      if (worker) worker.postMessage({ type: keep === false ? "unsave" : "save", url: url });
    },
  };

  var language = document.getElementById("interface-language");
  if (language) {
    language.addEventListener("change", function () { language.form.submit(); });
  }

  var help = document.getElementById("shortcuts");
  document.querySelectorAll("[data-shortcuts]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (help && help.showModal) { event.preventDefault(); help.showModal(); }
    });
  });

  function items() {
    return Array.prototype.slice.call(document.querySelectorAll("main .item, main .lead-story"))
      .filter(function (item) { return item.querySelector("a.headline"); });
  }

  var current = -1;
  function choose(step) {
    var list = items();
    if (!list.length) return;
    var active = document.activeElement && document.activeElement.closest
      ? document.activeElement.closest(".item, .lead-story") : null;
    var index = active ? list.indexOf(active) : current;
    current = Math.min(list.length - 1, Math.max(0, index + step));
    list.forEach(function (item, n) { item.classList.toggle("chosen", n === current); });
    list[current].querySelector("a.headline").focus();
  }

  function chosenItem() {
    var list = items();
    return current >= 0 && current < list.length ? list[current] : null;
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target.closest && target.closest("input, textarea, select, [contenteditable], dialog[open]")) return;
    switch (event.key) {
      case "j": choose(1); break;
      case "k": choose(-1); break;
      case "o": {
        var item = chosenItem();
        var link = item ? item.querySelector("a.headline") : null;
        if (link) window.location.href = link.href; else return;
        break;
      }
      case "s": {
        var scope = chosenItem() || document;
        var save = scope.querySelector("[data-save]");
        if (save) save.click(); else return;
        break;
      }
      case "?":
        if (help && help.showModal) help.showModal(); else return;
        break;
      default:
        return;
    }
    event.preventDefault();
  });
})();
