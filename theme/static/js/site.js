/* Small enhancements; every page works without this file (except search). */
(function () {
  "use strict";
  var root = document.documentElement;
  var KEY = "gk-a11y";

  function load() {
    try { return JSON.parse(window.localStorage.getItem(KEY) || "{}"); } catch (error) { return {}; }
  }

  function save(settings) {
    try { window.localStorage.setItem(KEY, JSON.stringify(settings)); } catch (error) { /* not kept */ }
  }

  function apply(settings) {
    root.classList.toggle("gk-text-1", settings.text === 1);
    root.classList.toggle("gk-text-2", settings.text === 2);
    root.classList.toggle("gk-contrast", !!settings.contrast);
    document.querySelectorAll("[data-a11y=text]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(Number(button.dataset.value) === (settings.text || 0)));
    });
    document.querySelectorAll("[data-a11y=contrast]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(!!settings.contrast));
    });
  }

  apply(load());

  document.querySelectorAll("[data-page-url]:empty").forEach(function (place) {
    place.textContent = window.location.href.split("#")[0];
  });

  // The catalogue beside a page is shown on wide screens by the CSS; marking it open there too
  // tells screen readers it is expanded.
  var wide = window.matchMedia("(min-width: 60rem)");
  function openSide() {
    document.querySelectorAll(".gk-side__box").forEach(function (box) {
      if (wide.matches) box.open = true;
    });
  }
  openSide();
  if (wide.addEventListener) wide.addEventListener("change", openSide);

  // Tabs (the home page's newest documents): the markup lists every panel under its heading;
  // here they become tabs, arrow keys moving between them (WAI-ARIA tabs pattern).
  document.querySelectorAll(".gk-tabs").forEach(function (box) {
    var tabs = Array.prototype.slice.call(box.querySelectorAll(".gk-tabs__tab"));
    var list = box.querySelector(".gk-tabs__list");
    list.setAttribute("role", "tablist");
    list.setAttribute("aria-labelledby", box.getAttribute("aria-labelledby"));
    tabs.forEach(function (tab, i) {
      var panel = document.getElementById(tab.dataset.panel);
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-controls", panel.id);
      tab.removeAttribute("aria-pressed");
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", tab.id);
      panel.tabIndex = 0;
      if (i) tab.tabIndex = -1;
    });
    function select(chosen, focus) {
      tabs.forEach(function (tab) {
        var on = tab === chosen;
        tab.setAttribute("aria-selected", String(on));
        tab.tabIndex = on ? 0 : -1;
        var panel = document.getElementById(tab.dataset.panel);
        panel.classList.toggle("gk-tabs__panel--shown", on);
      });
      if (focus) chosen.focus();
    }
    select(tabs[0], false);
    box.addEventListener("click", function (event) {
      var tab = event.target.closest("[role=tab]");
      if (tab) select(tab, false);
    });
    box.addEventListener("keydown", function (event) {
      var at = tabs.indexOf(event.target);
      if (at < 0) return;
      var to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: tabs.length - 1 }[event.key];
      if (to === undefined) return;
      event.preventDefault();
      select(tabs[(to + tabs.length) % tabs.length], true);
    });
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-a11y], button[data-action]");
    if (!button) return;
    var settings = load();
    switch (button.dataset.a11y || button.dataset.action) {
      case "text": settings.text = Number(button.dataset.value); break;
      case "contrast": settings.contrast = !settings.contrast; break;
      case "reset": settings = {}; break;
      case "print": window.print(); return;
      case "close":
        window.close();
        // Browsers only close windows a script opened; otherwise go back.
        if (!window.closed && window.history.length > 1) window.history.back();
        return;
      default: return;
    }
    save(settings);
    apply(settings);
  });
})();
