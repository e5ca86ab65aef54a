/* Small enhancements; every page works without this file. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-action]");
    if (!button) return;
    if (button.dataset.action === "print") window.print();
    if (button.dataset.action === "close") {
      window.close();
      // Browsers only close windows a script opened; otherwise go back.
      if (!window.closed && window.history.length > 1) window.history.back();
    }
  });
})();
