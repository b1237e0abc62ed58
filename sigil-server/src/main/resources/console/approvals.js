// Approvals page: sends the decision as the run WebSocket's "approval" message and shows the resumed run.
'use strict';
(function () {
  var C = window.SigilConsole;
  var forms = document.querySelectorAll('form.decide');
  Array.prototype.forEach.call(forms, function (form) {
    var original = form.elements.arguments.value;
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var decision = ev.submitter && ev.submitter.value === 'deny' ? 'deny' : 'approve';
      var state = form.querySelector('.decide-state');
      var message = { type: 'approval', run_id: form.dataset.run, call_id: form.dataset.call, decision: decision };
      var reason = form.elements.reason.value.trim();
      if (reason) message.reason = reason;
      var args = form.elements.arguments.value;
      if (decision === 'approve' && args.trim() !== original.trim()) {
        try {
          message.arguments = JSON.parse(args);
        } catch (e) {
          state.textContent = 'The arguments are not valid JSON: ' + e.message;
          form.elements.arguments.setAttribute('aria-invalid', 'true');
          form.elements.arguments.focus();
          return;
        }
        if (message.arguments === null || typeof message.arguments !== 'object' || Array.isArray(message.arguments)) {
          state.textContent = 'The arguments must be a JSON object.';
          form.elements.arguments.focus();
          return;
        }
      }
      var buttons = form.querySelectorAll('button');
      Array.prototype.forEach.call(buttons, function (b) { b.disabled = true; });
      state.textContent = (decision === 'approve' ? 'Approving' : 'Denying') + ' and resuming the run...';
      var sessionId = null;
      C.run(form.dataset.agent, message, {
        message: function (msg) {
          if (msg.type === 'status' && msg.data && msg.data.session_id) sessionId = msg.data.session_id;
          if (msg.type !== 'token' && msg.type !== 'connection_ready') {
            state.textContent = C.describe(msg.type, msg.data);
          }
        },
        complete: function (data) {
          state.textContent = (decision === 'approve' ? 'Approved' : 'Denied') + '; the run ended with status '
              + data.status + '. ';
          sessionId = data.session_id || sessionId;
          if (sessionId) state.appendChild(C.sessionLink(sessionId));
          form.closest('li').classList.add('decided');
        },
        failed: function (text) {
          state.textContent = 'Not decided: ' + text;
          Array.prototype.forEach.call(buttons, function (b) { b.disabled = false; });
        }
      });
    });
  });
})();
