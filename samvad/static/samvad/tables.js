// A table wider than the screen scrolls sideways (samvad.css, .table): keyboard users must be able
// to reach it with Tab to scroll it (WCAG 2.1.1; axe's scrollable-region-focusable). Tables that
// fit get no extra tab stop.
function samvadMarkScrollableTables() {
  document.querySelectorAll(".table").forEach(function (table) {
    if (table.scrollWidth > table.clientWidth) {
      table.setAttribute("tabindex", "0");
    } else {
      table.removeAttribute("tabindex");
    }
  });
}
document.addEventListener("DOMContentLoaded", samvadMarkScrollableTables);
document.addEventListener("htmx:afterSettle", samvadMarkScrollableTables);
window.addEventListener("resize", samvadMarkScrollableTables);
