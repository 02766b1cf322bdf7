// Names for what Django's admin widgets leave unnamed, taken from the page's own labels,
// so that a screen reader (and axe) can tell every control apart.
(function () {
  "use strict";

  function heading(element) {
    // The heading of the table column an element sits in (its cell's class "field-x", the heading's "column-x").
    var cell = element.closest('td[class*="field-"]');
    var name = cell && Array.prototype.find.call(cell.classList, function (name) {
      return name.indexOf("field-") === 0;
    });
    var table = cell && cell.closest("table");
    return name && table ? table.querySelector("thead th.column-" + name.slice(6)) : null;
  }

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
      var label = select && select.id && (document.querySelector('label[for="' + select.id + '"]') || heading(select));
      if (!label) {
        return;
      }
      if (!label.id) {
        label.id = "label-" + select.id;  // a column heading: the first row's id, read by every row
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

  function unnamed(control) {
    return !control.labels.length && !control.hasAttribute("aria-label") && !control.hasAttribute("aria-labelledby");
  }

  function nameCells() {
    // A table's fields (a tabular inline, an editable column of a list) have no label but their column's heading.
    document.querySelectorAll('td[class*="field-"]').forEach(function (cell) {
      var column = heading(cell);
      var text = column && column.textContent.trim();
      if (!text) {
        return;
      }
      cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (control) {
        if (unnamed(control)) {
          control.setAttribute("aria-label", text);
        }
      });
    });
    // A date and time in two boxes: the field's label and the box's own word ("Date:", "Time:").
    document.querySelectorAll(".datetime input").forEach(function (control) {
      var row = control.closest(".form-row");
      var label = row && row.querySelector("label");
      var word = control.previousSibling;
      while (word && word.nodeType !== Node.TEXT_NODE) {
        word = word.previousSibling;
      }
      if (label && unnamed(control)) {
        var parts = [label.textContent, word ? word.textContent : ""].map(function (text) {
          return text.trim().replace(/:$/, "");
        });
        control.setAttribute("aria-label", parts.filter(Boolean).join(", "));  // "Last login, Date"
      }
    });
  }

  window.addEventListener("load", function () {
    nameCells();
    window.setTimeout(nameWidgets, 0);  // after the admin's own widgets have drawn themselves
  });
  document.addEventListener("formset:added", function () {
    nameCells();
    window.setTimeout(nameWidgets, 0);
  });
})();
