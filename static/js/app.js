/* Directive tracker — small behaviours on top of plain HTML and htmx.
   Every page works without this file; it only adds comfort.

   - form[data-confirm], button[data-confirm]: ask before submitting
     (htmx requests use hx-confirm instead).
   - When an htmx request fails (network or server error), show the toast
     #htmx-error from base.html instead of failing silently.
   - After htmx swaps in a new list, move focus to [data-focus-after-swap]
     inside the swapped content only when the user was not typing.
*/
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    var message =
      (submitter && submitter.getAttribute("data-confirm")) ||
      form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  var toastTimer = null;
  function showToast(id) {
    var toast = document.getElementById(id);
    if (!toast) return;
    toast.hidden = false;
    window.clearTimeout(toastTimer);
    toastTimer = window.setTimeout(function () { toast.hidden = true; }, 6000);
  }

  document.addEventListener("htmx:responseError", function () { showToast("htmx-error"); });
  document.addEventListener("htmx:sendError", function () { showToast("htmx-error"); });

  document.addEventListener("htmx:afterSwap", function (event) {
    var active = document.activeElement;
    var typing = active && (active.tagName === "INPUT" || active.tagName === "SELECT" ||
      active.tagName === "TEXTAREA");
    if (typing) return;
    var target = event.detail && event.detail.target;
    var focusable = target && target.querySelector("[data-focus-after-swap]");
    if (focusable) {
      if (!focusable.hasAttribute("tabindex")) focusable.setAttribute("tabindex", "-1");
      focusable.focus({ preventScroll: true });
    }
  });
})();
