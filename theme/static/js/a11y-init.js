/* Runs before the page is drawn: applies the visitor's saved reading settings (字号, 高对比度),
 * so pages never flash in the wrong size. Kept tiny and blocking on purpose. */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");
  try {
    var saved = JSON.parse(window.localStorage.getItem("gk-a11y") || "{}");
    if (saved.text === 1 || saved.text === 2) root.classList.add("gk-text-" + saved.text);
    if (saved.contrast) root.classList.add("gk-contrast");
  } catch (error) {
    /* storage blocked (private mode, some file:// settings): defaults apply */
  }
})();
