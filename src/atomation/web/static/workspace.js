// Copy buttons: the only script in the workspace. Everything else is plain
// forms, so the pages work without it.
document.addEventListener("click", function (event) {
  var button = event.target.closest("button.copy");
  if (!button) {
    return;
  }
  navigator.clipboard.writeText(button.dataset.copy).then(function () {
    var label = button.textContent;
    button.textContent = "Copied";
    setTimeout(function () { button.textContent = label; }, 1500);
  });
});
