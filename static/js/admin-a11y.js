// Names for what Django's admin widgets leave unnamed, taken from the page's own labels,
// so that a screen reader (and axe) can tell every control apart.
(function () {
  "use strict";

  function nameWidgets() {
    // The filter boxes of a two-list picker ("types") carry an aria-label on a bare <span>: give it a role.
    document.querySelectorAll(".help-tooltip[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
    // An autocomplete (area, group, location) is named by its selection, empty until one is chosen:
    // name it by its field's label too.
    document.querySelectorAll('.select2-selection[role="combobox"]').forEach(function (box) {
      var container = box.closest(".select2");
      var select = container && container.previousElementSibling;
      var label = select && select.id && document.querySelector('label[for="' + select.id + '"]');
      if (!label) {
        return;
      }
      if (!label.id) {
        label.id = "label-" + select.id;
      }
      var rendered = box.querySelector('[role="textbox"]');
      if (rendered && !rendered.hasAttribute("aria-labelledby")) {
        rendered.setAttribute("aria-labelledby", label.id);  // empty until something is chosen
      }
      var shown = box.getAttribute("aria-labelledby") || "";
      if (shown.split(" ").indexOf(label.id) === -1) {
        box.setAttribute("aria-labelledby", (label.id + " " + shown).trim());
      }
    });
  }

  window.addEventListener("load", function () {
    window.setTimeout(nameWidgets, 0);  // after the admin's own widgets have drawn themselves
  });
  document.addEventListener("formset:added", function () {
    window.setTimeout(nameWidgets, 0);
  });
})();
