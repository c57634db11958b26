// Posting management pages. Everything works without this file; it only saves a round trip.
(function () {
  "use strict";

  // "Add another section": copy the formset's empty form, numbered after the last one.
  document.querySelectorAll("[data-formset-add]").forEach(function (button) {
    var prefix = button.dataset.formsetAdd;
    var list = document.querySelector('[data-formset-list="' + prefix + '"]');
    var template = document.getElementById(prefix + "-empty-form");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var max = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
    if (!list || !template || !total) return;
    button.hidden = false;
    var hint = document.querySelector('[data-formset-hint="' + prefix + '"]');
    if (hint) hint.hidden = true;
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      if (max && index >= parseInt(max.value, 10)) return;
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      list.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var order = document.getElementById("id_" + prefix + "-" + index + "-ORDER");
      if (order) order.value = String(index + 1);
      var first = list.lastElementChild.querySelector("input, textarea");
      if (first) first.focus();
    });
  });

  // A question's options only matter for choice questions: hide them for the other kinds.
  var CHOICE_KINDS = ["single_choice", "multiple_choice"];
  document.querySelectorAll("select[data-question-kind]").forEach(function (select) {
    var form = select.form;
    var choices = form && form.querySelector(".question-choices");
    if (!choices) return;
    function sync() {
      choices.hidden = CHOICE_KINDS.indexOf(select.value) === -1 && !choices.querySelector(".is-invalid");
    }
    select.addEventListener("change", sync);
    sync();
  });
})();
