// Print buttons on lesson sheets (the browser's own print works too; this only saves a click).
document.querySelectorAll("[data-print]").forEach(function (b) {
  b.addEventListener("click", function () { window.print(); });
});
