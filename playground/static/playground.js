// After a step, focus goes where a keyboard user would look next: the
// answer form if one opened, else the first control of the latest
// message, else the message box. htmx (htmx.min.js, 2.0.11, BSD Zero
// Clause licence: htmx.LICENSE) replaces the conversation; this file is
// the playground's only script of its own.
//
// It runs once htmx has settled the new content (set up its forms), and
// counts the steps on <body data-steps>, so a test can tell a step has
// finished and the page is ready for the next.
document.addEventListener("htmx:afterSettle", function (e) {
  var id = (e.detail.target && e.detail.target.id) || "";
  // Only a conversation's own step moves focus: never the moderator
  // view's poll, which would pull focus from where the person is.
  var col = id.indexOf("col-") === 0 && document.getElementById(id); // the new element, after outerHTML
  if (col) {
    var el = col.querySelector("[data-autofocus]") ||
      col.querySelector("li[data-last] button:not([disabled]), li[data-last] select:not([disabled]), li[data-last] input:not([disabled])") ||
      col.querySelector(".say input");
    if (el) el.focus();
    // The conversation is replaced whole, so a live region inside it
    // would say nothing: the newest message is read out from one that
    // stays.
    var last = col.querySelector("li[data-last]");
    var say = document.getElementById("announce");
    if (last && say) say.textContent = last.innerText;
  }
  document.body.dataset.steps = String(Number(document.body.dataset.steps || 0) + 1);
});
