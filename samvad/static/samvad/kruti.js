// Kruti Dev is offered in Unicode, never converted behind the person's back (issue 16): the
// server's suggestion (content/_kruti.html) carries the converted text, and only this button puts
// it in the field. The input event lets the field's own htmx (counter, preview) see the change.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-kruti-accept]");
  if (!button) {
    return;
  }
  var field = document.getElementById(button.dataset.krutiAccept);
  field.value = button.dataset.krutiText;
  field.dispatchEvent(new Event("input", { bubbles: true }));
  button.closest(".kruti-suggestion").remove();
  field.focus();
});
